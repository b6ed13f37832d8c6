//! `TDESK_TRACE=FILE`: timings of the real binary, for `scripts/bench.sh`.
//! One line per measurement: `first_frame MS` (process start to the first
//! frame that shows tickets), `input KIND MS` (an input event to the next
//! frame), `list_ready MS` (an input to the frame with the list rows it
//! asked for, when they load in the background), `dashboard_ready MS` (an
//! input to the frame with the dashboard's figures) and, at exit,
//! `rss_kb`/`hwm_kb` from /proc. Off unless asked for.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::sync::OnceLock;
use std::time::Instant;

use super::action::Action;

static STARTED: OnceLock<Instant> = OnceLock::new();

/// Call first thing in `main`, so the first frame counts from process start.
pub fn mark_process_start() {
    STARTED.get_or_init(Instant::now);
}

/// What a frame still waits for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Waiting {
    pub list: bool,
    pub detail: bool,
    pub dashboard: bool,
}

/// The trace file, if tracing.
pub struct Trace {
    out: Option<BufWriter<File>>,
    first_frame: bool,
    /// The input event the next frame answers, and when it came.
    pending: Option<(&'static str, Instant)>,
    /// When the input came that the list is still loading rows for.
    list_since: Option<Instant>,
    /// When the input came that the detail pane is still loading for.
    detail_since: Option<Instant>,
    /// When the input came that the dashboard is still working out.
    dashboard_since: Option<Instant>,
}

impl Trace {
    /// Tracing when `TDESK_TRACE` names a file that can be created.
    pub fn from_env() -> Self {
        // Never in enforced team mode: it would write a file with the data group.
        let out = std::env::var_os("TDESK_TRACE")
            .filter(|_| !crate::privilege::enforced())
            .and_then(|path| crate::userfile::create_log(std::path::Path::new(&path)).ok())
            .map(BufWriter::new);
        Self {
            out,
            first_frame: true,
            pending: None,
            list_since: None,
            detail_since: None,
            dashboard_since: None,
        }
    }

    /// An input action arrived at `at`; the next frame answers it.
    pub fn input(&mut self, action: &Action, at: Instant) {
        let kind = match action {
            Action::Key(_) => "key",
            Action::Mouse(_) => "mouse",
            Action::Resize(..) => "resize",
            Action::Paste(_) => "paste",
            _ => return,
        };
        if self.out.is_some() {
            self.pending = Some((kind, at));
        }
    }

    /// A frame was drawn; `full` when it shows the list's first page,
    /// `list_waiting` while the list waits for rows it asked for,
    /// `detail_waiting` while the detail pane waits for its ticket.
    pub fn frame(&mut self, full: bool, waiting: Waiting) {
        let Waiting {
            list: list_waiting,
            detail: detail_waiting,
            dashboard: dashboard_waiting,
        } = waiting;
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let now = Instant::now();
        if full && std::mem::take(&mut self.first_frame) {
            let start = STARTED.get().copied().unwrap_or(now);
            let _ = writeln!(out, "first_frame {:.3}", ms(now - start));
        }
        if let Some((kind, at)) = self.pending.take() {
            let _ = writeln!(out, "input {kind} {:.3}", ms(now - at));
            if list_waiting {
                self.list_since = Some(at);
            }
            if detail_waiting {
                self.detail_since = Some(at);
            }
            if dashboard_waiting {
                self.dashboard_since = Some(at);
            }
        }
        if !dashboard_waiting && let Some(at) = self.dashboard_since.take() {
            let _ = writeln!(out, "dashboard_ready {:.3}", ms(now - at));
        }
        // The frame that fills the detail pane (beside the list, or opened).
        if !detail_waiting && let Some(at) = self.detail_since.take() {
            let _ = writeln!(out, "detail_ready {:.3}", ms(now - at));
        }
        // The frame that shows the rows an input asked for (a new view, a
        // filter, a jump): what the user waited for, beyond the first frame.
        if !list_waiting && let Some(at) = self.list_since.take() {
            let _ = writeln!(out, "list_ready {:.3}", ms(now - at));
        }
    }

    /// Memory at exit, then flush.
    pub fn finish(&mut self) {
        let Some(out) = self.out.as_mut() else {
            return;
        };
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        for (field, name) in [("VmRSS:", "rss_kb"), ("VmHWM:", "hwm_kb")] {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.split_whitespace().next())
            {
                let _ = writeln!(out, "{name} {kb}");
            }
        }
        let _ = out.flush();
    }
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
