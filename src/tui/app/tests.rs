//! App tests.
