//! Every command of the menu bar, described once: its label (from the string table, so
//! in both languages), its keyboard shortcut, the menu it sits in, whether it applies
//! now, and the [`Command`] it emits. The menus, the shortcut handling and
//! *Help → Keyboard shortcuts* are all built from [`MENU_COMMANDS`], so a command cannot
//! exist without a way in (the item export once had strings and tests but no menu entry).

use egui::{Key, KeyboardShortcut, Modifiers};

use super::command::{Command, ExportWhat, ZoomStep};
use super::i18n::Strings;

/// The menus of the menu bar, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Menu {
    File,
    Edit,
    View,
    Help,
}

impl Menu {
    pub const ALL: [Menu; 4] = [Menu::File, Menu::Edit, Menu::View, Menu::Help];

    pub fn label(self, strings: &Strings) -> &'static str {
        match self {
            Menu::File => strings.menu_file,
            Menu::Edit => strings.menu_edit,
            Menu::View => strings.menu_view,
            Menu::Help => strings.menu_help,
        }
    }
}

/// A command of the menu bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MenuCommand {
    OpenFolder,
    OpenSample,
    /// A submenu of the recently opened folders.
    RecentFolders,
    CloseFolder,
    ExportShownItems,
    ExportAllItems,
    ExportDistricts,
    ExportProjects,
    ExportQdpx,
    ImportTags,
    Quit,
    Undo,
    Redo,
    FindInItems,
    SearchArticles,
    FindNext,
    FindPrevious,
    ManageTags,
    Lexicon,
    ToggleDocuments,
    ToggleTheme,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    KeyboardShortcuts,
    About,
}

/// Every menu command, in menu order.
pub const MENU_COMMANDS: &[MenuCommand] = &[
    MenuCommand::OpenFolder,
    MenuCommand::OpenSample,
    MenuCommand::RecentFolders,
    MenuCommand::ExportShownItems,
    MenuCommand::ExportAllItems,
    MenuCommand::ExportDistricts,
    MenuCommand::ExportProjects,
    MenuCommand::ExportQdpx,
    MenuCommand::ImportTags,
    MenuCommand::CloseFolder,
    MenuCommand::Quit,
    MenuCommand::Undo,
    MenuCommand::Redo,
    MenuCommand::FindInItems,
    MenuCommand::SearchArticles,
    MenuCommand::FindNext,
    MenuCommand::FindPrevious,
    MenuCommand::ManageTags,
    MenuCommand::Lexicon,
    MenuCommand::ToggleDocuments,
    MenuCommand::ToggleTheme,
    MenuCommand::ZoomIn,
    MenuCommand::ZoomOut,
    MenuCommand::ZoomReset,
    MenuCommand::KeyboardShortcuts,
    MenuCommand::About,
];

/// What the menu needs to know about the app to label and enable its entries.
#[derive(Debug, Clone, Copy, Default)]
pub struct MenuState {
    pub has_folder: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    pub show_documents: bool,
    pub dark_mode: bool,
    pub has_search_matches: bool,
}

impl MenuCommand {
    pub fn menu(self) -> Menu {
        use MenuCommand::*;
        match self {
            OpenFolder | OpenSample | RecentFolders | CloseFolder | ExportShownItems
            | ExportAllItems | ExportDistricts | ExportProjects | ExportQdpx | ImportTags
            | Quit => Menu::File,
            Undo | Redo | FindInItems | SearchArticles | FindNext | FindPrevious | ManageTags
            | Lexicon => Menu::Edit,
            ToggleDocuments | ToggleTheme | ZoomIn | ZoomOut | ZoomReset => Menu::View,
            KeyboardShortcuts | About => Menu::Help,
        }
    }

    /// Entries of one group stand together; a separator parts the groups of a menu.
    pub fn group(self) -> u8 {
        use MenuCommand::*;
        match self {
            OpenFolder | OpenSample | RecentFolders => 0,
            ExportShownItems | ExportAllItems | ExportDistricts | ExportProjects | ExportQdpx
            | ImportTags => 1,
            CloseFolder | Quit => 2,
            Undo | Redo => 0,
            FindInItems | SearchArticles | FindNext | FindPrevious => 1,
            ManageTags | Lexicon => 2,
            ToggleDocuments | ToggleTheme => 0,
            ZoomIn | ZoomOut | ZoomReset => 1,
            KeyboardShortcuts | About => 0,
        }
    }

    pub fn label(self, strings: &Strings, state: &MenuState) -> &'static str {
        use MenuCommand::*;
        match self {
            OpenFolder => strings.open_folder,
            OpenSample => strings.open_sample,
            RecentFolders => strings.recent_folders,
            CloseFolder => strings.close_folder,
            ExportShownItems => strings.export_shown,
            ExportAllItems => strings.export_all,
            ExportDistricts => strings.export_districts,
            ExportProjects => strings.export_projects,
            ExportQdpx => strings.export_qdpx,
            ImportTags => strings.import_tags,
            Quit => strings.quit,
            Undo => strings.undo,
            Redo => strings.redo,
            FindInItems => strings.find_in_items,
            SearchArticles => strings.search_articles,
            FindNext => strings.find_next,
            FindPrevious => strings.find_previous,
            ManageTags => strings.tags,
            Lexicon => strings.lexicon_menu,
            ToggleDocuments => strings.documents,
            ToggleTheme if state.dark_mode => strings.theme_light,
            ToggleTheme => strings.theme_dark,
            ZoomIn => strings.zoom_in,
            ZoomOut => strings.zoom_out,
            ZoomReset => strings.zoom_reset,
            KeyboardShortcuts => strings.keyboard_shortcuts,
            About => strings.about,
        }
    }

    /// The shortcut the app handles for this command. Zooming keeps egui's own keys
    /// (Ctrl + / − / 0), listed in the help but not handled twice.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        use MenuCommand::*;
        let command = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        match self {
            OpenFolder => command(Key::O),
            ExportShownItems => command(Key::E),
            CloseFolder => command(Key::W),
            Quit => command(Key::Q),
            Undo => command(Key::Z),
            Redo => Some(KeyboardShortcut::new(
                Modifiers::COMMAND.plus(Modifiers::SHIFT),
                Key::Z,
            )),
            FindInItems => command(Key::F),
            SearchArticles => Some(KeyboardShortcut::new(
                Modifiers::COMMAND.plus(Modifiers::SHIFT),
                Key::F,
            )),
            FindNext => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F3)),
            FindPrevious => Some(KeyboardShortcut::new(Modifiers::SHIFT, Key::F3)),
            KeyboardShortcuts => Some(KeyboardShortcut::new(Modifiers::NONE, Key::F1)),
            _ => None,
        }
    }

    /// Keys egui itself handles for this command, shown in the menu and the help only.
    pub fn builtin_keys(self) -> Option<&'static str> {
        match self {
            MenuCommand::ZoomIn => Some("Ctrl +"),
            MenuCommand::ZoomOut => Some("Ctrl −"),
            MenuCommand::ZoomReset => Some("Ctrl 0"),
            _ => None,
        }
    }

    /// Undo and redo of annotations must not take the keys from a text field, which
    /// keeps its own undo.
    pub fn yields_to_text_fields(self) -> bool {
        matches!(self, MenuCommand::Undo | MenuCommand::Redo)
    }

    pub fn enabled(self, state: &MenuState) -> bool {
        use MenuCommand::*;
        match self {
            CloseFolder | ExportShownItems | ExportAllItems | ExportDistricts | ExportProjects
            | ExportQdpx | FindInItems | SearchArticles | ManageTags | Lexicon => state.has_folder,
            FindNext | FindPrevious => state.has_search_matches,
            Undo => state.can_undo,
            Redo => state.can_redo,
            _ => true,
        }
    }

    /// Whether the entry is a check box showing a setting (and its state).
    pub fn checked(self, state: &MenuState) -> Option<bool> {
        (self == MenuCommand::ToggleDocuments).then_some(state.show_documents)
    }

    /// The command it emits; `None` for the recent-folders submenu, whose entries each
    /// open their folder.
    pub fn command(self, state: &MenuState) -> Option<Command> {
        use MenuCommand::*;
        Some(match self {
            OpenFolder => Command::PickFolder,
            OpenSample => Command::OpenSample,
            RecentFolders => return None,
            CloseFolder => Command::CloseFolder,
            ExportShownItems => Command::PickExportPath(ExportWhat::ShownItems),
            ExportAllItems => Command::PickExportPath(ExportWhat::AllItems),
            ExportDistricts => Command::PickExportPath(ExportWhat::Districts),
            ExportProjects => Command::PickExportPath(ExportWhat::Projects),
            ExportQdpx => Command::PickExportPath(ExportWhat::Qdpx),
            ImportTags => Command::PickTagImport,
            Quit => Command::Quit,
            Undo => Command::Undo,
            Redo => Command::Redo,
            FindInItems => Command::FindInItems,
            SearchArticles => Command::ShowSearch,
            FindNext => Command::StepSearchMatch { forward: true },
            FindPrevious => Command::StepSearchMatch { forward: false },
            ManageTags => Command::ShowTagManager,
            Lexicon => Command::ShowLexicon,
            ToggleDocuments => Command::ToggleDocuments,
            ToggleTheme => Command::SetDarkMode(!state.dark_mode),
            ZoomIn => Command::Zoom(ZoomStep::In),
            ZoomOut => Command::Zoom(ZoomStep::Out),
            ZoomReset => Command::Zoom(ZoomStep::Reset),
            KeyboardShortcuts => Command::ShowKeyboardShortcuts,
            About => Command::ShowAbout,
        })
    }
}

/// The menus of the menu bar, built from [`MENU_COMMANDS`]. `recent` draws the entries
/// of the recent-folders submenu.
pub fn menus_ui(
    ui: &mut egui::Ui,
    strings: &Strings,
    state: &MenuState,
    commands: &mut Vec<Command>,
    mut recent: impl FnMut(&mut egui::Ui, &mut Vec<Command>),
) {
    for menu in Menu::ALL {
        ui.menu_button(menu.label(strings), |ui| {
            let mut last_group = None;
            for &entry in MENU_COMMANDS.iter().filter(|c| c.menu() == menu) {
                if last_group.is_some_and(|g| g != entry.group()) {
                    ui.separator();
                }
                last_group = Some(entry.group());
                let label = entry.label(strings, state);
                if entry == MenuCommand::RecentFolders {
                    ui.menu_button(label, |ui| recent(ui, commands));
                    continue;
                }
                let clicked = if let Some(mut checked) = entry.checked(state) {
                    ui.checkbox(&mut checked, label).clicked()
                } else {
                    let keys = entry
                        .shortcut()
                        .map(|s| ui.ctx().format_shortcut(&s))
                        .or_else(|| entry.builtin_keys().map(str::to_owned));
                    let mut button = egui::Button::new(label);
                    if let Some(keys) = keys {
                        button = button.shortcut_text(keys);
                    }
                    ui.add_enabled(entry.enabled(state), button).clicked()
                };
                if clicked && let Some(command) = entry.command(state) {
                    commands.push(command);
                }
            }
        });
    }
}

/// The commands whose shortcut was pressed this frame (and that apply now).
pub fn shortcut_commands(ctx: &egui::Context, state: &MenuState) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut out = Vec::new();
    // Longer chords first, so Ctrl+Shift+Z is not taken by Ctrl+Z.
    let mut entries: Vec<(MenuCommand, KeyboardShortcut)> = MENU_COMMANDS
        .iter()
        .filter_map(|c| Some((*c, c.shortcut()?)))
        .collect();
    entries.sort_by_key(|(_, s)| std::cmp::Reverse(s.modifiers.shift));
    for (entry, shortcut) in entries {
        if !entry.enabled(state) || (typing && entry.yields_to_text_fields()) {
            continue;
        }
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut))
            && let Some(command) = entry.command(state)
        {
            out.push(command);
        }
    }
    out
}

/// *Help → Keyboard shortcuts*: every shortcut of the table, and the keys that are not
/// menu commands (tags, rows, Esc).
pub fn shortcuts_window(
    ctx: &egui::Context,
    strings: &Strings,
    state: &MenuState,
    open: &mut bool,
) {
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        *open = false;
        return;
    }
    egui::Window::new(strings.keyboard_shortcuts)
        .open(open)
        .collapsible(false)
        .resizable(false)
        // In the middle, never over the menu bar it was opened from.
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("keyboard-shortcuts")
                .num_columns(2)
                .spacing([24.0, 6.0])
                .striped(true)
                .show(ui, |ui| {
                    for &entry in MENU_COMMANDS {
                        let keys = entry
                            .shortcut()
                            .map(|s| ctx.format_shortcut(&s))
                            .or_else(|| entry.builtin_keys().map(str::to_owned));
                        if let Some(keys) = keys {
                            ui.monospace(keys);
                            ui.label(entry.label(strings, state).trim_end_matches('…'));
                            ui.end_row();
                        }
                    }
                    for (keys, what) in [
                        ("1 … 9", strings.shortcut_tags),
                        ("↑ ↓", strings.shortcut_rows),
                        ("Esc", strings.shortcut_escape),
                    ] {
                        ui.monospace(keys);
                        ui.label(what);
                        ui.end_row();
                    }
                });
        });
}
