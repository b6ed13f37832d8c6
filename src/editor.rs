//! Long text in the user's editor (`$VISUAL`, `$EDITOR`, the config's
//! `editor`, or `vi`): the text goes to a private temporary file, the editor
//! runs on it with the terminal handed over, and what was saved comes back.

use std::path::PathBuf;
use std::process::Command;

use crate::error::{Error, Result};

/// The editor command to run: config, `$VISUAL`, `$EDITOR`, then `vi`.
pub fn editor_command(configured: Option<&str>) -> String {
    configured
        .map(String::from)
        .or_else(|| std::env::var("VISUAL").ok())
        .or_else(|| std::env::var("EDITOR").ok())
        .filter(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".into())
}

fn temp_path() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!("tdesk-{}-{nanos}.md", std::process::id()))
}

/// Edits `initial` with `editor` (a shell command; the file is its last
/// argument) and returns the saved text without its final newline.
pub fn edit(initial: &str, editor: &str) -> Result<String> {
    let path = temp_path();
    // The member's own file (their temporary directory, their rights):
    // the editor runs without the desk's group.
    crate::userfile::write(&path, initial.as_bytes(), crate::userfile::Overwrite::Never)?;
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path);
    // In enforced team mode the editor must not get the data group.
    crate::privilege::drop_group_for(&mut cmd);
    let status = cmd.status();
    let result = match status {
        Ok(s) if s.success() => {
            crate::userfile::read(&path, crate::userfile::TEXT_LIMIT).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| Error::NotUtf8(path.display().to_string()))
            })
        }
        Ok(s) => Err(Error::Editor(format!("{editor} exited with {s}"))),
        Err(e) => Err(Error::Editor(format!("{editor}: {e}"))),
    };
    crate::userfile::remove(&path);
    result.map(|t| t.strip_suffix('\n').unwrap_or(&t).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_editor_changes_come_back_and_the_file_is_removed() {
        let edited = edit("hello", "sed -i 's/hello/你好, world/'").expect("edit");
        assert_eq!(edited, "你好, world");
        let failed = edit("x", "false").expect_err("editor failed");
        assert!(matches!(failed, Error::Editor(_)));
    }

    #[test]
    fn config_wins_over_the_environment() {
        assert_eq!(editor_command(Some("nano -w")), "nano -w");
    }
}
