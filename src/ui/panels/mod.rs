//! One panel per file: a small state struct with a `ui` method that draws it and pushes
//! [`Command`](super::command::Command)s for anything that affects the rest of the app.

pub mod districts;
pub mod documents;
pub mod items_table;
pub mod loading;
pub mod source_view;
pub mod start;
pub mod status_bar;

use super::command::Command;
use super::i18n::Strings;
use super::workspace::Workspace;

/// What panels may read, and where they send what they want done.
pub struct PanelContext<'a> {
    pub workspace: &'a Workspace,
    pub strings: &'static Strings,
    pub selection: &'a Selection,
    pub commands: &'a mut Vec<Command>,
}

/// The selected item and the document shown in the source view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub item: Option<usize>,
    pub document: Option<usize>,
}
