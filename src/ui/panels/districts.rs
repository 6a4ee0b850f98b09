//! The district overview: one row per county-level district with its counts, announced
//! investment and date range. Clicking a row filters the items table to that district.

use egui::Sense;
use egui_extras::{Column, TableBuilder};

use super::items_table::sort_header_ui;
use super::{PanelContext, cell, number};
use crate::table::{DistrictColumn, DistrictRow, Sort, place_label, sort_districts};
use crate::ui::command::Command;
use crate::ui::i18n::Strings;
use crate::ui::state::Tab;
use crate::ui::theme;

pub struct DistrictsPanel {
    pub sort: Option<Sort<DistrictColumn>>,
    rows: Vec<DistrictRow>,
    rows_key: Option<(u64, Option<Sort<DistrictColumn>>)>,
}

impl DistrictsPanel {
    pub fn new(sort: Option<Sort<DistrictColumn>>) -> DistrictsPanel {
        DistrictsPanel {
            sort,
            rows: Vec::new(),
            rows_key: None,
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, current: Option<&str>) {
        let strings = cx.strings;
        let key = (cx.workspace.generation, self.sort);
        if self.rows_key != Some(key) {
            self.rows = cx.workspace.districts.clone();
            if let Some(sort) = self.sort {
                sort_districts(&mut self.rows, sort);
            }
            self.rows_key = Some(key);
        }
        if self.rows.is_empty() {
            ui.add_space(theme::GAP * 2.0);
            ui.vertical_centered(|ui| ui.weak(strings.no_items));
            return;
        }
        // Narrow windows scroll the table sideways rather than squeezing its columns.
        egui::ScrollArea::horizontal()
            .id_salt("districts_table_hscroll")
            .show(ui, |ui| self.table_ui(ui, cx, current));
    }

    fn table_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, current: Option<&str>) {
        let strings = cx.strings;
        let numeric = || Column::initial(64.0).at_least(40.0).clip(true);
        let mut clicked_header = None;
        TableBuilder::new(ui)
            .id_salt("districts_table")
            .striped(true)
            .resizable(true)
            .sense(Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(110.0).at_least(60.0).clip(true))
            .column(Column::initial(130.0).at_least(60.0).clip(true))
            .columns(numeric(), 4)
            .column(Column::initial(120.0).at_least(60.0).clip(true))
            .column(Column::initial(95.0).at_least(60.0).clip(true))
            .column(Column::initial(95.0).at_least(60.0).clip(true))
            .column(Column::remainder().at_least(120.0).clip(true))
            .header(theme::HEADER_HEIGHT, |mut header| {
                for column in DistrictColumn::ALL {
                    header.col(|ui| {
                        let mut header =
                            sort_header_ui(ui, title(strings, column), self.sort, column);
                        if column == DistrictColumn::Investment {
                            header = header.on_hover_text(strings.col_investment_tip);
                        }
                        if header.clicked() {
                            clicked_header = Some(column);
                        }
                    });
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
                    row.col(|ui| {
                        ui.add(
                            egui::Label::new(egui::RichText::new(&district.name).strong())
                                .selectable(false),
                        );
                    });
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
                        cx.commands
                            .push(Command::FilterDistrict(Some(district.name.clone())));
                        cx.commands.push(Command::ShowTab(Tab::Items));
                    }
                });
            });
        if let Some(column) = clicked_header {
            self.sort = Some(Sort::clicked(self.sort, column));
        }
    }
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
