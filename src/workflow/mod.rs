//! The workflow engine: states, transitions and guards loaded from a TOML
//! definition (embedded default: `assets/workflow.toml`), and the one check
//! every status change goes through. Pure: no IO, no clock, no SQL.

mod definition;
mod engine;
mod problem;
mod terms;

pub use definition::{Requirement, State, Term, TicketType, Transition, Workflow};
pub use engine::{MoveDecision, MoveFacts, MoveRefused, NoteUse, Refusal};
pub use problem::{DefinitionError, Problem};

/// The embedded default workflow definition.
pub const DEFAULT_DEFINITION: &str = include_str!("../../assets/workflow.toml");
