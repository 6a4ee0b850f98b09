//! The district overview: one row per county-level district with its counts, announced
//! investment and date range. Clicking a row filters the items table to that district.

use egui::Sense;
use egui_extras::{Column, TableBuilder};

use super::items_table::sort_header_ui;
use super::{PanelContext, cell, number};
use crate::table::{DistrictColumn, DistrictRow, Sort, place_label, sort_districts};
use crate::ui::command::{Command, ExportWhat};
use crate::ui::i18n::Strings;
use crate::ui::state::Tab;
use crate::ui::theme;

pub struct DistrictsPanel {
    pub sort: Option<Sort<DistrictColumn>>,
    rows: Vec<DistrictRow>,
    /// Each row's pinyin (shown in the English UI).
    pinyin: Vec<String>,
    rows_key: Option<(u64, Option<Sort<DistrictColumn>>, bool)>,
    /// The vertical scroll position both halves of the table share.
    scroll_offset: f32,
}

impl DistrictsPanel {
    pub fn new(sort: Option<Sort<DistrictColumn>>) -> DistrictsPanel {
        DistrictsPanel {
            sort,
            rows: Vec::new(),
            pinyin: Vec::new(),
            rows_key: None,
            scroll_offset: 0.0,
        }
    }

    /// The rows shown, in order (tests).
    pub fn rows(&self) -> &[DistrictRow] {
        &self.rows
    }

    /// `names_by_pinyin` is the setting *Sort names by pinyin*.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelContext<'_>,
        current: Option<&str>,
        names_by_pinyin: bool,
    ) {
        let strings = cx.strings;
        let key = (cx.workspace.generation, self.sort, names_by_pinyin);
        if self.rows_key != Some(key) {
            self.rows = cx.workspace.districts.clone();
            // Unsorted rows are by name already, by code point.
            let by_name = Sort {
                column: DistrictColumn::Name,
                descending: false,
            };
            match self.sort {
                Some(sort) => sort_districts(&mut self.rows, sort, names_by_pinyin),
                None if names_by_pinyin => sort_districts(&mut self.rows, by_name, true),
                None => {}
            }
            self.pinyin = (self.rows.iter())
                .map(|row| crate::place_names::pinyin(&row.name))
                .collect();
            self.rows_key = Some(key);
        }
        if self.rows.is_empty() {
            ui.add_space(theme::GAP * 2.0);
            ui.vertical_centered(|ui| ui.weak(strings.no_items));
            return;
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button(strings.export_districts).clicked() {
                cx.commands
                    .push(Command::PickExportPath(ExportWhat::Districts));
            }
            let mut by_pinyin = names_by_pinyin;
            if ui
                .checkbox(&mut by_pinyin, strings.sort_by_pinyin)
                .changed()
            {
                cx.commands.push(Command::SortNamesByPinyin(by_pinyin));
            }
        });
        let name_width = if strings.shows_pinyin {
            NAME_WIDTH_WITH_PINYIN
        } else {
            NAME_WIDTH
        };
        // The district names stay put while the rest scrolls sideways: two tables side
        // by side, one vertical scroll position shared between them.
        let height = ui.available_height();
        let mut offsets = [self.scroll_offset; 2];
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            ui.allocate_ui_with_layout(
                egui::vec2(name_width, height),
                egui::Layout::top_down(egui::Align::Min),
                |ui| offsets[0] = self.names_ui(ui, cx, current, name_width),
            );
            ui.allocate_ui_with_layout(
                egui::vec2(ui.available_width(), height),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    egui::ScrollArea::horizontal()
                        .id_salt("districts_table_hscroll")
                        .show(ui, |ui| offsets[1] = self.table_ui(ui, cx, current));
                },
            );
        });
        // Whichever table the analyst scrolled leads; the other follows next frame.
        if let Some(&moved) = offsets.iter().find(|&&o| o != self.scroll_offset) {
            self.scroll_offset = moved;
            ui.ctx().request_repaint();
        }
    }

    /// The fixed first column: district names. Returns its vertical scroll offset.
    fn names_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelContext<'_>,
        current: Option<&str>,
        width: f32,
    ) -> f32 {
        let strings = cx.strings;
        let mut clicked_header = false;
        let output = TableBuilder::new(ui)
            .id_salt("districts_names")
            .striped(true)
            .sense(Sense::click())
            .vertical_scroll_offset(self.scroll_offset)
            .scroll_bar_visibility(egui::scroll_area::ScrollBarVisibility::AlwaysHidden)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(width - 8.0).clip(true))
            .header(theme::HEADER_HEIGHT, |mut header| {
                header.col(|ui| {
                    let column = DistrictColumn::Name;
                    clicked_header =
                        sort_header_ui(ui, title(strings, column), self.sort, column).clicked();
                });
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, self.rows.len(), |mut row| {
                    let district = &self.rows[row.index()];
                    let pinyin = &self.pinyin[row.index()];
                    row.set_selected(current == Some(district.name.as_str()));
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(&district.name).strong())
                                .selectable(false),
                        );
                        if strings.shows_pinyin {
                            ui.add_space(6.0);
                            ui.add(
                                egui::Label::new(egui::RichText::new(pinyin).weak())
                                    .truncate()
                                    .selectable(false),
                            );
                        }
                    });
                    let response = row.response().on_hover_text(strings.district_filter_tip);
                    if response.clicked() {
                        filter_to(cx, &district.name);
                    }
                });
            });
        if clicked_header {
            self.sort = Some(Sort::clicked(self.sort, DistrictColumn::Name));
        }
        output.state.clamped_offset().y
    }

    /// The other columns, which scroll sideways. Returns the vertical scroll offset.
    fn table_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut PanelContext<'_>,
        current: Option<&str>,
    ) -> f32 {
        let strings = cx.strings;
        let numeric = || Column::initial(72.0).at_least(64.0).clip(true);
        let mut clicked_header = None;
        let output = TableBuilder::new(ui)
            .id_salt("districts_table")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .vertical_scroll_offset(self.scroll_offset)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(130.0).at_least(60.0).clip(true))
            .columns(numeric(), 4)
            .column(Column::initial(120.0).at_least(80.0).clip(true))
            .column(Column::initial(190.0).at_least(90.0).clip(true))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::initial(150.0).at_least(80.0).clip(true))
            .column(Column::remainder().at_least(160.0).clip(true))
            .header(theme::HEADER_HEIGHT, |mut header| {
                for column in &DistrictColumn::ALL[1..] {
                    let column = *column;
                    header.col(|ui| {
                        let mut header =
                            sort_header_ui(ui, title(strings, column), self.sort, column)
                                .on_hover_text(title(strings, column));
                        if column == DistrictColumn::Investment {
                            header = header.on_hover_text(strings.col_investment_tip);
                        }
                        if header.clicked() {
                            clicked_header = Some(column);
                        }
                    });
                    if column == DistrictColumn::Investment {
                        header.col(|ui| {
                            ui.strong(strings.col_stated_totals)
                                .on_hover_text(strings.col_stated_totals_tip);
                        });
                    }
                }
                header.col(|ui| {
                    ui.strong(strings.col_themes)
                        .on_hover_text(strings.themes_rule_tip);
                });
            })
            .body(|body| {
                body.rows(theme::ROW_HEIGHT, self.rows.len(), |mut row| {
                    let district = &self.rows[row.index()];
                    row.set_selected(current == Some(district.name.as_str()));
                    let place = place_label(district.city.as_deref(), district.province.as_deref())
                        .unwrap_or_default();
                    row.col(|ui| cell(ui, &place));
                    row.col(|ui| number(ui, district.documents.to_string()));
                    row.col(|ui| number(ui, district.mentions.to_string()));
                    row.col(|ui| number(ui, district.projects.to_string()));
                    row.col(|ui| number(ui, district.officials.to_string()));
                    row.col(|ui| {
                        let text = if district.investment_yi > 0.0 {
                            format_yi(district.investment_yi)
                        } else {
                            String::new()
                        };
                        number(ui, text);
                    });
                    row.col(|ui| stated_totals_cell(ui, &district.stated_totals));
                    let date = |date: &Option<String>| {
                        strings.date(date.as_deref().unwrap_or("")).into_owned()
                    };
                    row.col(|ui| cell(ui, &date(&district.first_date)));
                    row.col(|ui| cell(ui, &date(&district.last_date)));
                    row.col(|ui| match &cx.workspace.themes {
                        Some(themes) => cell(ui, &themes.summary(&district.name, 6)),
                        None => {
                            ui.spinner();
                        }
                    });
                    let response = row.response().on_hover_text(strings.district_filter_tip);
                    if response.clicked() {
                        filter_to(cx, &district.name);
                    }
                });
            });
        if let Some(column) = clicked_header {
            self.sort = Some(Sort::clicked(self.sort, column));
        }
        output.state.clamped_offset().y
    }
}

/// A district's stated totals: the largest with what it counts, `+n` for the others;
/// every one with its sentence in the tooltip.
fn stated_totals_cell(ui: &mut egui::Ui, totals: &[crate::insight::stated::StatedTotal]) {
    let Some(largest) = totals.iter().max_by(|a, b| a.yuan.total_cmp(&b.yuan)) else {
        return;
    };
    let mut text = format!("{} · {}", largest.amount, largest.counts);
    if totals.len() > 1 {
        text.push_str(&format!("  +{}", totals.len() - 1));
    }
    let tip = totals
        .iter()
        .map(|t| format!("{} · {}\n{}", t.amount, t.counts, t.sentence))
        .collect::<Vec<_>>()
        .join("\n\n");
    ui.add(egui::Label::new(text).truncate().selectable(false))
        .on_hover_text(tip);
}

/// Width of the fixed district-name column.
const NAME_WIDTH: f32 = 130.0;
/// Room for the name and its pinyin (`清徐县 Qingxu Xian`).
const NAME_WIDTH_WITH_PINYIN: f32 = 210.0;

/// A click on a district's row: the items table, filtered to it.
fn filter_to(cx: &mut PanelContext<'_>, district: &str) {
    cx.commands
        .push(Command::FilterDistrict(Some(district.to_owned())));
    cx.commands.push(Command::ShowTab(Tab::Items));
}

/// 亿元 with two decimals and thousands separators (`1,234.56`).
pub fn format_yi(value: f64) -> String {
    let fixed = format!("{value:.2}");
    let (whole, fraction) = fixed.split_once('.').unwrap_or((&fixed, "00"));
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && *digit != '-' && digits[i - 1] != '-' {
            grouped.push(',');
        }
        grouped.push(*digit);
    }
    format!("{grouped}.{fraction}")
}

fn title(strings: &Strings, column: DistrictColumn) -> &'static str {
    match column {
        DistrictColumn::Name => strings.col_name,
        DistrictColumn::Place => strings.col_place,
        DistrictColumn::Documents => strings.col_documents,
        DistrictColumn::Mentions => strings.col_mentions,
        DistrictColumn::Projects => strings.col_projects,
        DistrictColumn::Officials => strings.col_officials,
        DistrictColumn::Investment => strings.col_investment,
        DistrictColumn::FirstDate => strings.col_first_date,
        DistrictColumn::LastDate => strings.col_last_date,
    }
}

#[cfg(test)]
mod tests {
    use super::format_yi;

    #[test]
    fn yi_are_grouped_by_thousands() {
        assert_eq!(format_yi(8.16), "8.16");
        assert_eq!(format_yi(1234.5), "1,234.50");
        assert_eq!(format_yi(1234567.891), "1,234,567.89");
    }
}
