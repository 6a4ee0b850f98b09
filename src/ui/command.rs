//! Everything the analyst can ask the app to do. Panels push commands while drawing; the
//! app applies them after the frame, so no panel mutates another panel's state.

use super::i18n::Language;
use super::jobs::Source;
use super::state::Tab;

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show the native folder dialog (off the UI thread).
    PickFolder,
    Open(Source),
    OpenSample,
    CancelLoad,
    CloseFolder,
    /// Select an item; `reveal` scrolls the items table to it.
    SelectItem {
        item: usize,
        reveal: bool,
    },
    SelectDocument(usize),
    FilterDistrict(Option<String>),
    FilterDocument(Option<String>),
    ShowTab(Tab),
    SetLanguage(Language),
    SetDarkMode(bool),
    ToggleDocuments,
    Zoom(ZoomStep),
    Quit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomStep {
    In,
    Out,
    Reset,
}
