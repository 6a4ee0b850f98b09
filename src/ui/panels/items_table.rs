//! The items table: filter bar, then one virtualised row per extracted item. Sorting and
//! filtering run in the core (`table::item_rows`); the rows are cached until the data,
//! filter or sort order changes.

use std::collections::BTreeSet;

use egui::{Key, Sense};
use egui_extras::{Column, TableBuilder};

use super::place_picker::{Picked, place_list_ui, place_picker_ui};
use super::{PanelContext, cell};
use crate::extract::ItemKind;
use crate::place_names::PlaceChoices;
use crate::table::{
    ItemColumn, ItemFilter, Sort, amount_as_written, amount_label, item_rows, place_of, post_of,
};
use crate::ui::command::{Command, ExportWhat, Extend};
use crate::ui::i18n::Strings;
use crate::ui::theme;

#[derive(Default)]
pub struct ItemsTable {
    /// This frame's draft of the app's filter: the filter bar edits it, and a change is
    /// handed back as [`Command::SetItemFilter`]; the app owns the filter and saves it.
    filter: ItemFilter,
    /// The app's sort order, as of this frame; a header click asks for a new one.
    sort: Option<Sort<ItemColumn>>,
    /// Indices of the shown items, in display order.
    rows: Vec<u32>,
    rows_key: Option<(u64, u64, ItemFilter, Option<Sort<ItemColumn>>)>,
    /// Bumped whenever `rows` is rebuilt, so views derived from the rows (charts) know.
    rows_version: u64,
    /// Items judged of items found, and the data and annotation generations it is of.
    progress: (usize, usize),
    progress_key: Option<(u64, u64)>,
    /// Scroll the selected row into view on the next frame.
    scroll_to_selected: bool,
    focus_filter: bool,
    /// The folder's districts for the district filter, and the data generation.
    district_choices: Option<(u64, PlaceChoices)>,
}

impl ItemsTable {
    /// The shown items in display order (after the last frame's filter and sort).
    pub fn rows(&self) -> &[u32] {
        &self.rows
    }

    pub fn reveal_selection(&mut self) {
        self.scroll_to_selected = true;
    }

    pub fn focus_filter(&mut self) {
        self.focus_filter = true;
    }

    /// Takes the app's filter and sort order for this frame.
    pub fn follow(&mut self, filter: &ItemFilter, sort: Option<Sort<ItemColumn>>) {
        if self.filter != *filter {
            self.filter.clone_from(filter);
        }
        self.sort = sort;
    }

    /// Rebuilds the shown rows if the data, filter or sort changed.
    pub fn refresh_rows(&mut self, cx: &PanelContext<'_>) {
        let key = (
            cx.workspace.generation,
            cx.review.generation,
            self.filter.clone(),
            self.sort,
        );
        if self.rows_key.as_ref() != Some(&key) {
            let notes = cx.review.notes();
            self.rows = item_rows(
                &cx.workspace.items,
                &notes,
                &cx.workspace.facts.months,
                cx.workspace.ranks.as_ref(),
                &self.filter,
                self.sort,
            );
            // Progress depends on the data and the annotations only, not the filter.
            let data = (cx.workspace.generation, cx.review.generation);
            if self.progress_key != Some(data) {
                self.progress = crate::table::review_progress(&cx.workspace.items, &notes);
                self.progress_key = Some(data);
            }
            self.rows_key = Some(key);
            self.rows_version += 1;
        }
    }

    /// How far review has come: (items judged, items found).
    pub fn review_progress(&self) -> (usize, usize) {
        self.progress
    }

    /// Changes whenever [`ItemsTable::rows`] does.
    pub fn rows_version(&self) -> u64 {
        self.rows_version
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelContext<'_>,
        filter: &ItemFilter,
        sort: Option<Sort<ItemColumn>>,
        hidden_columns: &BTreeSet<ItemColumn>,
    ) {
        self.follow(filter, sort);
        self.filter_bar_ui(ui, cx);
        if self.filter != *filter {
            cx.commands
                .push(Command::SetItemFilter(self.filter.clone()));
        }
        ui.add_space(theme::GAP / 2.0);
        self.refresh_rows(cx);
        self.summary_ui(ui, cx);
        self.keyboard_navigation(ui, cx);
        if self.rows.is_empty() {
            ui.add_space(theme::GAP * 2.0);
            ui.vertical_centered(|ui| ui.weak(cx.strings.no_items));
            return;
        }
        // Narrow windows scroll the table sideways rather than squeezing its columns
        // below their least widths.
        egui::ScrollArea::horizontal()
            .id_salt("items_table_hscroll")
            .show(ui, |ui| self.table_ui(ui, cx, hidden_columns));
    }

    fn filter_bar_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        ui.horizontal_wrapped(|ui| {
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            // Each label stays on the line of its control when the bar wraps.
            ui.horizontal(|ui| {
                let label = ui.label(strings.filter_label);
                let filter_box = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.filter.text)
                            .hint_text(strings.filter_hint)
                            .desired_width(240.0),
                    )
                    .labelled_by(label.id);
                if std::mem::take(&mut self.focus_filter) {
                    filter_box.request_focus();
                }
                if filter_box.has_focus() && ui.input(|i| i.key_pressed(Key::Escape)) {
                    self.filter.text.clear();
                }
            });
            ui.add_space(theme::GAP);
            start_row_unless_room(ui, PICKER_GROUP_WIDTH);
            ui.horizontal(|ui| self.district_picker_ui(ui, cx));
            ui.add_space(theme::GAP);
            start_row_unless_room(ui, PICKER_GROUP_WIDTH);
            ui.horizontal(|ui| self.document_picker_ui(ui, cx));
            if let Some(month) = self.filter.month
                && ui
                    .button(format!(
                        "{} {} ×",
                        strings.month_label,
                        strings.month(month)
                    ))
                    .clicked()
            {
                self.filter.month = None;
            }
            if self.filter.is_narrowed() && ui.button(strings.clear_filters).clicked() {
                self.filter = self.filter.cleared();
            }
        });
        ui.horizontal_wrapped(|ui| {
            // Whole widgets move to the next line; none is squeezed into a clipped stub.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            self.tag_picker_ui(ui, cx);
            let queue = egui::RichText::new(strings.review_queue).strong();
            if ui
                .selectable_label(self.filter.review_queue, queue)
                .on_hover_text(strings.review_queue_tip)
                .clicked()
            {
                self.filter.review_queue = !self.filter.review_queue;
            }
            ui.checkbox(&mut self.filter.show_rejected, strings.show_rejected);
            // The checkbox and its percentage wrap as one, never apart: room for the
            // box, the label and the percentage field.
            let field_width = ui.spacing().icon_width + 4.0 * ui.spacing().item_spacing.x + 64.0;
            keep_on_one_line(
                ui,
                strings.confidence_below,
                egui::TextStyle::Body,
                field_width,
            );
            ui.horizontal(|ui| {
                let mut doubtful = self.filter.confidence_below.is_some();
                if ui
                    .checkbox(&mut doubtful, strings.confidence_below)
                    .on_hover_text(strings.confidence_below_tip)
                    .changed()
                {
                    self.filter.confidence_below = doubtful.then_some(80);
                }
                if let Some(below) = &mut self.filter.confidence_below {
                    ui.add(egui::DragValue::new(below).range(0..=100).suffix(" %"));
                }
            });
            let orphans = cx.review.orphans.len();
            if orphans > 0
                && ui
                    .button(format!("{} ({orphans})", strings.orphaned))
                    .on_hover_text(strings.orphaned_tip)
                    .clicked()
            {
                cx.commands.push(Command::ShowOrphans);
            }
            // The product's main output, one click from the table it exports.
            keep_on_one_line(
                ui,
                strings.export_shown,
                egui::TextStyle::Button,
                2.0 * ui.spacing().button_padding.x,
            );
            if ui
                .button(strings.export_shown)
                .on_hover_text(strings.export_shown_tip)
                .clicked()
            {
                cx.commands
                    .push(Command::PickExportPath(ExportWhat::ShownItems));
            }
            ui.separator();
            for kind in ItemKind::ALL {
                let shown = !self.filter.hidden_kinds.contains(&kind);
                let color = theme::kind_color(kind, ui.visuals().dark_mode);
                let text = egui::RichText::new(strings.kinds(kind)).color(color);
                keep_on_one_line(
                    ui,
                    strings.kinds(kind),
                    egui::TextStyle::Button,
                    2.0 * ui.spacing().button_padding.x,
                );
                if ui.selectable_label(shown, text).clicked() {
                    if shown {
                        self.filter.hidden_kinds.insert(kind);
                    } else {
                        self.filter.hidden_kinds.remove(&kind);
                    }
                }
            }
        });
    }

    /// Whenever a filter hides rows, says how many are shown of how many, and which
    /// filters hide the rest, with a button that clears them all.
    fn summary_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let active = self.filter.active();
        if active.is_empty() {
            return;
        }
        let default_hidden = ItemFilter::default().hidden_kinds;
        let total = cx
            .workspace
            .items
            .iter()
            .filter(|i| !default_hidden.contains(&i.kind))
            .count();
        let strings = cx.strings;
        let names: Vec<&str> = active.iter().map(|f| strings.filter_name(*f)).collect();
        ui.horizontal_wrapped(|ui| {
            let summary = strings
                .shown_of_total
                .replace("{shown}", &self.rows.len().to_string())
                .replace("{total}", &total.to_string());
            ui.weak(format!("{summary} {}", names.join(", ")));
            if ui
                .small_button("×")
                .on_hover_text(strings.clear_filters)
                .clicked()
            {
                cx.commands
                    .push(Command::SetItemFilter(self.filter.without_active()));
            }
        });
    }

    fn tag_picker_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let tags = &cx.review.annotations.tags;
        let label = ui.label(strings.tag_label);
        let current = self
            .filter
            .tag
            .and_then(|id| tags.iter().find(|t| t.id == id))
            .map_or_else(|| strings.all_tags.to_owned(), |t| t.name.clone());
        egui::ComboBox::from_id_salt("tag_picker")
            .selected_text(current)
            .width(130.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.filter.tag, None, strings.all_tags);
                for tag in tags {
                    let [r, g, b] = tag.color;
                    let text =
                        egui::RichText::new(&tag.name).color(egui::Color32::from_rgb(r, g, b));
                    ui.selectable_value(&mut self.filter.tag, Some(tag.id), text);
                }
            })
            .response
            .labelled_by(label.id);
    }

    fn district_picker_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let label = ui.label(strings.district_label);
        let current = self
            .filter
            .district
            .clone()
            .unwrap_or_else(|| strings.all_districts.to_owned());
        let generation = cx.workspace.generation;
        if self
            .district_choices
            .as_ref()
            .is_none_or(|(g, _)| *g != generation)
        {
            let names: Vec<String> = cx
                .workspace
                .districts
                .iter()
                .map(|r| r.name.clone())
                .collect();
            self.district_choices = Some((generation, PlaceChoices::of_folder(&names)));
        }
        let Some((_, choices)) = &self.district_choices else {
            return;
        };
        let (response, picked) = place_picker_ui(
            ui,
            "district_picker",
            &current,
            strings.all_districts,
            self.filter.district.as_deref(),
            choices,
            strings.shows_pinyin,
            (strings.place_search_label, strings.place_search_hint),
            130.0,
        );
        response.labelled_by(label.id);
        match picked {
            Some(Picked::First) => cx.commands.push(Command::FilterDistrict(None)),
            Some(Picked::Place(name)) => cx.commands.push(Command::FilterDistrict(Some(name))),
            None => {}
        }
    }

    fn document_picker_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let label = ui.label(strings.document_label);
        let current = self
            .filter
            .document
            .as_deref()
            .map_or(strings.all_documents, |file| {
                cx.workspace.document_label(file)
            })
            .to_owned();
        egui::ComboBox::from_id_salt("document_picker")
            .selected_text(current)
            .width(160.0)
            .height(400.0)
            .truncate()
            .show_ui(ui, |ui| {
                if ui
                    .selectable_label(self.filter.document.is_none(), strings.all_documents)
                    .clicked()
                {
                    cx.commands.push(Command::FilterDocument(None));
                }
                for document in cx.workspace.documents.iter() {
                    let chosen = self.filter.document.as_deref() == Some(document.file.as_str());
                    if ui
                        .selectable_label(chosen, document.label())
                        .on_hover_text(&document.file)
                        .clicked()
                    {
                        cx.commands
                            .push(Command::FilterDocument(Some(document.file.clone())));
                    }
                }
            })
            .response
            .labelled_by(label.id);
    }

    /// Up and Down move the selection through the shown rows when no text field has focus;
    /// in the review queue J and K do too, A or Enter accepts, X or Delete rejects.
    fn keyboard_navigation(&mut self, ui: &egui::Ui, cx: &mut PanelContext<'_>) {
        if ui.ctx().egui_wants_keyboard_input() || self.rows.is_empty() {
            return;
        }
        if self.filter.review_queue && self.queue_keys(ui, cx) {
            return;
        }
        let (down, up) = ui.input(|i| (i.key_pressed(Key::ArrowDown), i.key_pressed(Key::ArrowUp)));
        if !down && !up {
            return;
        }
        let position = cx
            .selection
            .item
            .and_then(|item| self.rows.iter().position(|&r| r as usize == item));
        let next = match (position, down) {
            (None, _) => 0,
            (Some(p), true) => (p + 1).min(self.rows.len() - 1),
            (Some(p), false) => p.saturating_sub(1),
        };
        cx.commands.push(Command::SelectItem {
            item: self.rows[next] as usize,
            reveal: true,
            extend: Extend::Replace,
        });
    }

    /// The review queue's keys; whether one was pressed. A judged item leaves the queue,
    /// so the selection moves to the one after it.
    fn queue_keys(&mut self, ui: &egui::Ui, cx: &mut PanelContext<'_>) -> bool {
        let pressed = |keys: &[Key]| {
            ui.input_mut(|i| {
                keys.iter()
                    .any(|&k| i.consume_key(egui::Modifiers::NONE, k))
            })
        };
        let accept = pressed(&[Key::A, Key::Enter]);
        let reject = !accept && pressed(&[Key::X, Key::Delete]);
        let next = pressed(&[Key::J, Key::ArrowDown]);
        let previous = pressed(&[Key::K, Key::ArrowUp]);
        if !(accept || reject || next || previous) {
            return false;
        }
        let position = cx
            .selection
            .item
            .and_then(|item| self.rows.iter().position(|&r| r as usize == item));
        let select = |cx: &mut PanelContext<'_>, row: Option<&u32>| {
            if let Some(&row) = row {
                cx.commands.push(Command::SelectItem {
                    item: row as usize,
                    reveal: true,
                    extend: Extend::Replace,
                });
            }
        };
        match position {
            None => select(cx, self.rows.first()),
            Some(p) if accept || reject => {
                let judged: Vec<usize> = if cx.selection.items.len() > 1 {
                    cx.selection.items.iter().copied().collect()
                } else {
                    vec![self.rows[p] as usize]
                };
                let following = self.rows[p + 1..]
                    .iter()
                    .find(|&&r| !judged.contains(&(r as usize)))
                    .or_else(|| self.rows[..p].last());
                cx.commands.push(Command::Judge {
                    items: judged,
                    accept,
                });
                select(cx, following);
            }
            Some(p) if next => select(cx, self.rows.get(p + 1).or(self.rows.last())),
            Some(p) => select(cx, self.rows.get(p.saturating_sub(1))),
        }
        true
    }

    fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelContext<'_>,
        hidden: &BTreeSet<ItemColumn>,
    ) {
        let strings = cx.strings;
        let items = &cx.workspace.items;
        let columns: Vec<ItemColumn> = ItemColumn::ALL
            .into_iter()
            .filter(|c| !hidden.contains(c))
            .collect();
        let selected_row = cx
            .selection
            .item
            .and_then(|item| self.rows.iter().position(|&r| r as usize == item));
        // The first time a set of columns is shown, their widths are scaled to the
        // room there is, so every column is in view without scrolling sideways (the
        // analyst's resizing is kept from then on).
        let spacing = ui.spacing().item_spacing.x;
        let wanted: f32 = columns.iter().map(|&c| column_width(c).0 + spacing).sum();
        let scale = (ui.available_width() / wanted).min(1.0);
        // Each set of shown columns keeps its own widths.
        let mut table = TableBuilder::new(ui)
            .id_salt(("items_table", &columns))
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .min_scrolled_height(0.0);
        for (position, &column) in columns.iter().enumerate() {
            let (initial, least) = column_width(column);
            table = table.column(if position + 1 == columns.len() {
                Column::remainder().at_least(least).clip(true)
            } else {
                Column::initial((initial * scale).max(least))
                    .at_least(least)
                    .clip(true)
            });
        }
        if std::mem::take(&mut self.scroll_to_selected)
            && let Some(row) = selected_row
        {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        }
        let mut clicked_header = None;
        let table = table.header(theme::HEADER_HEIGHT, |mut header| {
            for &column in &columns {
                header.col(|ui| {
                    let response =
                        sort_header_ui(ui, column_title(strings, column), self.sort, column)
                            .on_hover_text(column_title(strings, column));
                    if response.clicked() {
                        clicked_header = Some(column);
                    }
                    response.context_menu(|ui| columns_menu_ui(ui, cx, hidden));
                });
            }
        });
        let rows = &self.rows;
        table.body(|body| {
            body.rows(theme::ROW_HEIGHT, rows.len(), |mut row| {
                let item_index = rows[row.index()] as usize;
                let item = &items[item_index];
                let note = cx.review.note_of(item_index);
                row.set_selected(cx.selection.items.contains(&item_index));
                for &column in &columns {
                    row.col(|ui| item_cell_ui(ui, cx, column, item_index, item, note));
                }
                let response = row.response();
                response.context_menu(|ui| row_menu_ui(ui, cx, item_index, item, note));
                if response.clicked() {
                    let modifiers = response.ctx.input(|i| i.modifiers);
                    let extend = if modifiers.shift {
                        Extend::Range
                    } else if modifiers.command {
                        Extend::Toggle
                    } else {
                        Extend::Replace
                    };
                    cx.commands.push(Command::SelectItem {
                        item: item_index,
                        reveal: false,
                        extend,
                    });
                }
            });
        });
        if let Some(column) = clicked_header {
            cx.commands.push(Command::SortItems(column));
        }
    }
}

/// A row's right-click menu: tag, reject or accept, correct the district, copy the text
/// or the row, show it in the source, and the rules from one correction (reject every
/// item with this text, never or always extract it). Tagging, judging and correcting
/// act on this row, which becomes the selection.
fn row_menu_ui(
    ui: &mut egui::Ui,
    cx: &mut PanelContext<'_>,
    item_index: usize,
    item: &crate::extract::Item,
    note: Option<&crate::annotate::ItemNote>,
) {
    let strings = cx.strings;
    let select_this = |commands: &mut Vec<Command>| {
        commands.push(Command::SelectItem {
            item: item_index,
            reveal: false,
            extend: Extend::Replace,
        });
    };
    ui.menu_button(strings.menu_tag, |ui| {
        for tag in &cx.review.annotations.tags {
            let mut on = note.is_some_and(|n| n.tags.contains(&tag.id));
            let [r, g, b] = tag.color;
            let name = egui::RichText::new(&tag.name).color(egui::Color32::from_rgb(r, g, b));
            if ui.checkbox(&mut on, name).clicked() {
                select_this(cx.commands);
                cx.commands.push(Command::ToggleTag(tag.id));
                ui.close();
            }
        }
    });
    let rejected = note.is_some_and(|n| n.rejected);
    let reject_label = if rejected {
        strings.menu_unreject
    } else {
        strings.menu_reject
    };
    if ui.button(reject_label).clicked() {
        cx.commands.push(Command::SetRejected {
            item: item_index,
            rejected: !rejected,
        });
        ui.close();
    }
    if !note.is_some_and(|n| n.accepted) && ui.button(strings.menu_accept).clicked() {
        cx.commands.push(Command::Judge {
            items: vec![item_index],
            accept: true,
        });
        ui.close();
    }
    ui.menu_button(strings.menu_correct_district, |ui| {
        let corrected = note.and_then(|n| n.district.as_deref());
        let picked = place_list_ui(
            ui,
            "row_correct_district",
            strings.as_extracted,
            corrected,
            cx.workspace.correction_places(),
            strings.shows_pinyin,
            (strings.place_search_label, strings.place_search_hint),
        );
        if let Some(picked) = picked {
            cx.commands.push(Command::CorrectDistrict {
                item: item_index,
                district: picked.into_correction(),
            });
        }
    });
    ui.separator();
    if ui.button(strings.menu_copy_text).clicked() {
        ui.ctx().copy_text(item.text.clone());
        ui.close();
    }
    if ui.button(strings.menu_copy_row).clicked() {
        ui.ctx().copy_text(row_as_text(cx, item_index, item, note));
        ui.close();
    }
    if ui.button(strings.menu_show_in_source).clicked() {
        cx.commands.push(Command::SelectItem {
            item: item_index,
            reveal: true,
            extend: Extend::Replace,
        });
        ui.close();
    }
    ui.separator();
    if rule_buttons_ui(ui, cx, item, note) {
        ui.close();
    }
}

/// A row as tab-separated text, as the table shows it (corrections where made): kind,
/// text, district, amount, date, post, note, document title, file. Pastes into a
/// spreadsheet as one row.
fn row_as_text(
    cx: &PanelContext<'_>,
    item_index: usize,
    item: &crate::extract::Item,
    note: Option<&crate::annotate::ItemNote>,
) -> String {
    let strings = cx.strings;
    let kind = note.and_then(|n| n.kind).unwrap_or(item.kind);
    let district = note
        .and_then(|n| n.district.clone())
        .or_else(|| item.district.clone())
        .unwrap_or_default();
    let amount = match note.and_then(|n| n.amount_yuan) {
        Some(corrected) => amount_label(corrected),
        None => amount_as_written(item).unwrap_or("").to_owned(),
    };
    let document = cx.workspace.document_of(item_index);
    let fields = [
        strings.kind(kind).to_owned(),
        item.text.clone(),
        district,
        amount,
        strings
            .date(item.date.as_deref().unwrap_or(""))
            .into_owned(),
        post_of(item).unwrap_or_default(),
        note.and_then(|n| n.note.lines().next())
            .unwrap_or("")
            .to_owned(),
        document.label().to_owned(),
        document.file.clone(),
    ];
    fields
        .iter()
        .map(|f| f.replace(['\t', '\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\t")
}

/// The rules one correction offers, as buttons (the row menu, the review panel):
/// *Reject every…* and *Never extract…* for an extracted item, *Always extract…* for a
/// manual one. Whether one was clicked.
pub fn rule_buttons_ui(
    ui: &mut egui::Ui,
    cx: &mut PanelContext<'_>,
    item: &crate::extract::Item,
    note: Option<&crate::annotate::ItemNote>,
) -> bool {
    let strings = cx.strings;
    let kind = note.and_then(|n| n.kind).unwrap_or(item.kind);
    let fill = |template: &str| {
        template
            .replace("{text}", &item.text)
            .replace("{kind}", strings.kind(kind))
    };
    if note.is_some_and(|n| n.manual) {
        if ui.button(fill(strings.always_extract)).clicked() {
            let district = note
                .and_then(|n| n.district.clone())
                .or_else(|| item.district.clone());
            cx.commands.push(Command::AlwaysExtract {
                kind,
                text: item.text.clone(),
                district,
            });
            return true;
        }
        return false;
    }
    let mut clicked = false;
    if ui.button(fill(strings.reject_every)).clicked() {
        cx.commands.push(Command::RejectEvery {
            kind: item.kind,
            text: item.text.clone(),
        });
        clicked = true;
    }
    if ui.button(fill(strings.never_extract)).clicked() {
        cx.commands.push(Command::NeverExtract {
            kind: item.kind,
            text: item.text.clone(),
        });
        clicked = true;
    }
    clicked
}

/// The header's right-click menu: a check box per column, to show or hide it. The
/// item's text cannot be hidden (a row without it says nothing).
fn columns_menu_ui(ui: &mut egui::Ui, cx: &mut PanelContext<'_>, hidden: &BTreeSet<ItemColumn>) {
    let strings = cx.strings;
    ui.weak(strings.shown_columns);
    for column in ItemColumn::ALL {
        let mut shown = !hidden.contains(&column);
        let enabled = column != ItemColumn::Text;
        if ui
            .add_enabled(
                enabled,
                egui::Checkbox::new(&mut shown, column_title(strings, column)),
            )
            .clicked()
        {
            cx.commands.push(Command::ToggleItemColumn(column));
        }
    }
}

/// A column's initial and least width: the least fits its header at any zoom, so a
/// header is never cut to a stub (`C` for Capacity).
fn column_width(column: ItemColumn) -> (f32, f32) {
    match column {
        ItemColumn::Kind => (72.0, 56.0),
        ItemColumn::Text => (190.0, 80.0),
        ItemColumn::Confidence => (56.0, 48.0),
        ItemColumn::Tags => (96.0, 48.0),
        ItemColumn::District => (90.0, 64.0),
        ItemColumn::Place => (110.0, 56.0),
        ItemColumn::Amount => (96.0, 64.0),
        ItemColumn::Capacity => (80.0, 72.0),
        ItemColumn::Date => (92.0, 48.0),
        ItemColumn::Post => (130.0, 48.0),
        ItemColumn::Note => (130.0, 48.0),
        ItemColumn::Document => (150.0, 80.0),
    }
}

/// One cell of an item's row.
fn item_cell_ui(
    ui: &mut egui::Ui,
    cx: &PanelContext<'_>,
    column: ItemColumn,
    item_index: usize,
    item: &crate::extract::Item,
    note: Option<&crate::annotate::ItemNote>,
) {
    let strings = cx.strings;
    match column {
        ItemColumn::Kind => {
            theme::kind_chip(ui, item.kind, strings.kind(item.kind));
        }
        ItemColumn::Text => {
            let mut text = egui::RichText::new(&item.text);
            if note.is_some_and(|n| n.rejected) {
                text = text.strikethrough().weak();
            }
            if note.is_some_and(|n| n.accepted) {
                let mark =
                    egui::RichText::new("√").color(theme::accepted_color(ui.visuals().dark_mode));
                ui.label(mark).on_hover_text(strings.accepted);
            }
            ui.add(egui::Label::new(text).truncate().selectable(false));
        }
        ItemColumn::Confidence => {
            let confidence = item.confidence.map(|c| format!("{c:.2}"));
            cell(ui, confidence.as_deref().unwrap_or(""));
        }
        ItemColumn::Tags => {
            if let Some(note) = note {
                tag_chips_ui(ui, &cx.review.annotations, note);
            }
        }
        // A corrected district shows as corrected, the extraction in its tooltip (and
        // in the review panel).
        ItemColumn::District => match note.and_then(|n| n.district.as_deref()) {
            Some(corrected) => {
                corrected_cell(ui, corrected, item.district.as_deref(), strings.original)
            }
            None => cell(ui, item.district.as_deref().unwrap_or("")),
        },
        ItemColumn::Place => cell(ui, &place_of(item).unwrap_or_default()),
        ItemColumn::Amount => match note.and_then(|n| n.amount_yuan) {
            Some(corrected) => corrected_cell(
                ui,
                &amount_label(corrected),
                amount_as_written(item),
                strings.original,
            ),
            None => cell(ui, amount_as_written(item).unwrap_or("")),
        },
        ItemColumn::Capacity => cell(ui, item.capacity.as_deref().unwrap_or("")),
        ItemColumn::Date => cell(ui, &strings.date(item.date.as_deref().unwrap_or(""))),
        ItemColumn::Post => cell(ui, &post_of(item).unwrap_or_default()),
        ItemColumn::Note => {
            let first_line = note.and_then(|n| n.note.lines().next()).unwrap_or("");
            cell(ui, first_line);
        }
        ItemColumn::Document => {
            let document = cx.workspace.document_of(item_index);
            ui.add(
                egui::Label::new(document.label())
                    .truncate()
                    .selectable(false),
            )
            .on_hover_text(&document.file);
        }
    }
}

/// Width of a label with its picker, so a wrapping bar keeps the two together.
const PICKER_GROUP_WIDTH: f32 = 260.0;

/// In a wrapping layout, breaks the line before a widget showing `text` (plus `padding`)
/// that would not fit: labels and buttons do not move to the next line by themselves,
/// they get clipped or split mid-word.
fn keep_on_one_line(ui: &mut egui::Ui, text: &str, style: egui::TextStyle, padding: f32) {
    if !ui.layout().main_wrap {
        return;
    }
    let width = ui
        .painter()
        .layout_no_wrap(
            text.to_owned(),
            style.resolve(ui.style()),
            egui::Color32::WHITE,
        )
        .size()
        .x;
    start_row_unless_room(ui, width + padding);
}

/// In a wrapping layout, moves to the next row unless `width` still fits on this one.
fn start_row_unless_room(ui: &mut egui::Ui, width: f32) {
    // In a wrapping layout `available_width` is the whole line's; what is left of this
    // line ends at the visible edge.
    let left_on_line = ui.clip_rect().right().min(ui.max_rect().right()) - ui.cursor().left();
    if left_on_line < width {
        ui.end_row();
    }
}

/// A value the analyst corrected: italic, with what was extracted in the tooltip.
fn corrected_cell(ui: &mut egui::Ui, corrected: &str, extracted: Option<&str>, label: &str) {
    let response = ui.add(
        egui::Label::new(egui::RichText::new(corrected).italics())
            .truncate()
            .selectable(false),
    );
    response.on_hover_text(format!("{label}: {}", extracted.unwrap_or("—")));
}

fn column_title(strings: &Strings, column: ItemColumn) -> &'static str {
    match column {
        ItemColumn::Kind => strings.col_kind,
        ItemColumn::Text => strings.col_text,
        ItemColumn::District => strings.col_district,
        ItemColumn::Place => strings.col_place,
        ItemColumn::Amount => strings.col_amount,
        ItemColumn::Capacity => strings.col_capacity,
        ItemColumn::Confidence => strings.col_confidence,
        ItemColumn::Post => strings.col_post,
        ItemColumn::Date => strings.col_date,
        ItemColumn::Document => strings.col_document,
        ItemColumn::Tags => strings.col_tags,
        ItemColumn::Note => strings.col_note,
    }
}

/// A clickable column header with the sort indicator.
pub fn sort_header_ui<C: PartialEq + Copy>(
    ui: &mut egui::Ui,
    title: &str,
    sort: Option<Sort<C>>,
    column: C,
) -> egui::Response {
    let indicator = match sort {
        Some(sort) if sort.column == column && sort.descending => " ▼",
        Some(sort) if sort.column == column => " ▲",
        _ => "",
    };
    let text = egui::RichText::new(format!("{title}{indicator}")).strong();
    ui.add(egui::Button::new(text).frame(false).truncate())
        .on_hover_cursor(egui::CursorIcon::PointingHand)
}

/// An item's tags as small coloured chips (the short name: the part before a space).
pub fn tag_chips_ui(
    ui: &mut egui::Ui,
    annotations: &crate::annotate::Annotations,
    note: &crate::annotate::ItemNote,
) {
    for tag in annotations
        .tags
        .iter()
        .filter(|t| note.tags.contains(&t.id))
    {
        let [r, g, b] = tag.color;
        let short = tag.name.split(' ').next().unwrap_or(&tag.name);
        let chip = format!(" {short} ");
        keep_on_one_line(ui, &chip, egui::TextStyle::Body, 0.0);
        let text = egui::RichText::new(chip)
            .color(egui::Color32::WHITE)
            .background_color(egui::Color32::from_rgb(r, g, b));
        ui.add(egui::Label::new(text).selectable(false).extend())
            .on_hover_text(&tag.name);
    }
}
