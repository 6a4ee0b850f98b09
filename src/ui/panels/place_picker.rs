//! A district picker that searches: a button showing the current choice opens a list
//! with a query field on top that finds a place by name, short form, pinyin or pinyin
//! initials (`qingxu`, `qx` find 清徐县). In the English UI each place carries its pinyin.
//! Used by the items table's district filter and by the district correction, which
//! offers every unit of the national gazetteer.

use crate::place_names::PlaceChoices;
use crate::ui::theme;

/// What the analyst picked.
#[derive(Debug, Clone, PartialEq)]
pub enum Picked {
    /// The entry before the places (all districts; as extracted).
    First,
    Place(String),
}

impl Picked {
    /// As a district correction: `First` is *as extracted*.
    pub fn into_correction(self) -> Option<String> {
        match self {
            Picked::First => None,
            Picked::Place(name) => Some(name),
        }
    }
}

/// The query and what it found, kept while the list is open.
#[derive(Clone, Default)]
struct PickerState {
    query: String,
    /// The query `found` is for, and the number of choices it was computed over.
    found_for: Option<(String, usize)>,
    found: Vec<usize>,
}

/// Draws the picker. `shown` is the button's text, `first` the entry above the places,
/// `current` the place chosen now; with `show_pinyin` each place carries its pinyin.
#[allow(clippy::too_many_arguments)]
pub fn place_picker_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    shown: &str,
    first: &str,
    current: Option<&str>,
    choices: &PlaceChoices,
    show_pinyin: bool,
    search: (&str, &str),
    width: f32,
) -> (egui::Response, Option<Picked>) {
    let mut picked = None;
    let response = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(shown)
        .width(width)
        .height(420.0)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show_ui(ui, |ui| {
            picked = place_list_ui(ui, id_salt, first, current, choices, show_pinyin, search);
        })
        .response;
    (response, picked)
}

/// The searchable list itself: a query field, `first`, then the places the query finds;
/// closes the popup or menu it is in once something is picked. Also drawn inside a
/// row's right-click menu.
pub fn place_list_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    first: &str,
    current: Option<&str>,
    choices: &PlaceChoices,
    show_pinyin: bool,
    (search_label, search_hint): (&str, &str),
) -> Option<Picked> {
    let id = ui.make_persistent_id((id_salt, "place_list"));
    let mut picked = None;
    let mut state: PickerState = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let field = ui
        .horizontal(|ui| {
            let label = ui.weak(search_label);
            ui.add(
                egui::TextEdit::singleline(&mut state.query)
                    .hint_text(search_hint)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id)
        })
        .inner;
    if !field.has_focus() && state.query.is_empty() {
        field.request_focus();
    }
    let key = (state.query.clone(), choices.choices.len());
    if state.found_for.as_ref() != Some(&key) {
        state.found = choices.find(&state.query);
        state.found_for = Some(key);
    }
    if ui.selectable_label(current.is_none(), first).clicked() {
        picked = Some(Picked::First);
    }
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    if enter && let Some(&best) = state.found.first() {
        picked = Some(Picked::Place(choices.choices[best].name.clone()));
    }
    let row_height = theme::ROW_HEIGHT;
    egui::ScrollArea::vertical()
        .id_salt((id_salt, "places"))
        .max_height(360.0)
        .show_rows(ui, row_height, state.found.len(), |ui, range| {
            for &index in &state.found[range] {
                let choice = &choices.choices[index];
                let mut text = choice.name.clone();
                if show_pinyin {
                    text.push_str("  ");
                    text.push_str(&choice.pinyin);
                }
                // Namesakes (朝阳区) are told apart by where they are.
                if !choice.within.is_empty() {
                    text.push_str("  · ");
                    text.push_str(&choice.within);
                }
                let chosen = current == Some(choice.name.as_str());
                if ui.selectable_label(chosen, text).clicked() {
                    picked = Some(Picked::Place(choice.name.clone()));
                }
            }
        });
    if picked.is_some() {
        state = PickerState::default();
        ui.close();
    }
    ui.data_mut(|d| d.insert_temp(id, state));
    picked
}
