//! Importing a satisfaction survey: each answer is the customer's verdict
//! on their ticket, recorded and acted on like one given by mail. Answers
//! for tickets that do not await a verdict (or that this member cannot
//! see) are skipped and named; the others are recorded one by one.

use super::Desk;
use super::ops::verdict::{VerdictInput, VerdictOutcome, VerdictSource};
use crate::error::{Error, Result};
use crate::interchange::survey::SurveyAnswer;

/// What an import of survey answers did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyReport {
    pub closed: usize,
    pub reopened: usize,
    pub recorded: usize,
    /// (line, ticket, why): not awaiting a verdict, or not found.
    pub skipped: Vec<(usize, i64, Error)>,
}

impl Desk {
    /// Records every answer (none with `dry_run`: only says what would be
    /// skipped).
    pub fn import_survey(
        &mut self,
        answers: &[SurveyAnswer],
        dry_run: bool,
    ) -> Result<SurveyReport> {
        self.require_import()?;
        let mut report = SurveyReport::default();
        for a in answers {
            let input = VerdictInput {
                rating: a.rating,
                satisfied: a.satisfied,
                words: a.comment.clone(),
            };
            let outcome = if dry_run {
                self.awaits_verdict(a.ticket)
                    .map(|()| VerdictOutcome::Recorded)
            } else {
                self.record_verdict(a.ticket, &input, VerdictSource::Survey, None)
            };
            match outcome {
                Ok(VerdictOutcome::Closed { .. } | VerdictOutcome::Accepted) => report.closed += 1,
                Ok(VerdictOutcome::Reopened { .. }) => report.reopened += 1,
                Ok(_) => report.recorded += 1,
                Err(e @ (Error::NotAwaitingAcceptance(_) | Error::TicketNotFound(_))) => {
                    report.skipped.push((a.line, a.ticket, e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// Whether ticket `id` awaits the customer's verdict (and is visible).
    fn awaits_verdict(&self, id: i64) -> Result<()> {
        let t = self.detail(id)?.ticket;
        super::ops::verdict::awaiting_acceptance(&self.workflow, &t)
    }
}
