//! The open folder as a session, without any UI: the extraction shown ([`workspace`]),
//! the analyst's annotations with undo, re-keying and autosave ([`review`]), the watch
//! on the folder and the refresh of changed files ([`folder_watch`]), and the views
//! derived from both ([`insights`]). The desktop app draws these; the tests drive them
//! without a window (`cargo test --no-default-features`).

pub mod file_chooser;
pub mod folder_watch;
pub mod insights;
pub mod review;
pub mod search;
pub mod workspace;
