//! The dashboard pane (`5`): the member's figures for a period — headline
//! numbers with trends, the backlog, created against solved, the Pareto of
//! categories, the agents, the tickets about to breach. Worked out on the
//! reports worker and shown when ready; the screen never waits for it.
//! `[` and `]` step through periods, `p` changes their length.

use super::{App, Pane};
use crate::metrics::{Period, PeriodKind};
use crate::service::DeskReport;
use crate::tui::action::{Command, Effect, Job};

/// Period lengths `p` cycles through.
const LENGTHS: [PeriodKind; 3] = [PeriodKind::Days(7), PeriodKind::Days(30), PeriodKind::Month];

#[derive(Debug, Clone, Default)]
pub struct DashboardState {
    /// The period shown (last 7 days until the member picks another).
    pub period: Option<Period>,
    pub report: Option<Box<DeskReport>>,
    pub generation: u64,
    /// A computation is under way.
    pub loading: bool,
    /// The desk changed meanwhile: work it out again when it answers.
    pub stale: bool,
    /// First section shown on a screen too small for all of them.
    pub scroll: usize,
}

impl App {
    fn dashboard_period(&self) -> Period {
        self.dashboard
            .period
            .unwrap_or_else(|| Period::last_days(self.now.timestamp_millis(), 7, self.tz))
    }

    /// Opens the pane and asks for its figures.
    pub(super) fn show_dashboard(&mut self) -> Vec<Effect> {
        if self.pane != Pane::Dashboard {
            self.prev_pane = self.pane;
        }
        self.pane = Pane::Dashboard;
        self.load_dashboard()
    }

    pub(super) fn load_dashboard(&mut self) -> Vec<Effect> {
        if self.dashboard.loading {
            self.dashboard.stale = true;
            return Vec::new();
        }
        let period = self.dashboard_period();
        self.dashboard.period = Some(period);
        self.dashboard.generation += 1;
        self.dashboard.loading = true;
        self.dashboard.stale = false;
        vec![Effect::Background(Job::Dashboard {
            generation: self.dashboard.generation,
            period,
        })]
    }

    /// The desk changed: fresh figures if the pane is showing.
    pub(super) fn dashboard_changed(&mut self) -> Vec<Effect> {
        if self.pane == Pane::Dashboard {
            self.load_dashboard()
        } else {
            // Worked out again when the pane is next shown.
            Vec::new()
        }
    }

    pub(super) fn dashboard_loaded(
        &mut self,
        generation: u64,
        report: Option<Box<DeskReport>>,
    ) -> Vec<Effect> {
        if generation != self.dashboard.generation {
            return Vec::new();
        }
        self.dashboard.loading = false;
        if let Some(report) = report {
            self.dashboard.report = Some(report);
        }
        if self.dashboard.stale && self.pane == Pane::Dashboard {
            return self.load_dashboard();
        }
        Vec::new()
    }

    /// Keys of the pane; `None` leaves the command to the rest of the app.
    pub(super) fn dashboard_command(&mut self, cmd: Command) -> Option<Vec<Effect>> {
        let now = self.now.timestamp_millis();
        let period = self.dashboard_period();
        let next = match cmd {
            Command::PeriodBack => period.previous(),
            Command::PeriodForward => period.next(now),
            Command::PeriodLength => {
                let at = LENGTHS.iter().position(|k| *k == period.kind);
                match LENGTHS[at.map_or(0, |i| (i + 1) % LENGTHS.len())] {
                    PeriodKind::Days(n) => Period::last_days(now, n, self.tz),
                    _ => Period::this_month(now, self.tz),
                }
            }
            Command::Up => {
                self.dashboard.scroll = self.dashboard.scroll.saturating_sub(1);
                return Some(Vec::new());
            }
            Command::Down => {
                self.dashboard.scroll += 1;
                return Some(Vec::new());
            }
            Command::Top => {
                self.dashboard.scroll = 0;
                return Some(Vec::new());
            }
            Command::Refresh => return Some(self.load_dashboard()),
            _ => return None,
        };
        if next == period {
            return Some(Vec::new());
        }
        self.dashboard.period = Some(next);
        // A new period replaces whatever was being worked out.
        self.dashboard.loading = false;
        Some(self.load_dashboard())
    }
}
