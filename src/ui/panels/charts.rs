//! Charts over the items the table shows: announced investment by district, activity
//! per month, kinds per district and district themes (with a side-by-side comparison).
//! Clicking a bar filters the items table; any chart can be saved as PNG.

use std::collections::HashMap;

use egui::{Color32, Pos2, Rect, Vec2b};
use egui_plot::{Bar, BarChart, GridMark, Legend, Plot, PlotPoint, PlotResponse, Text};
use serde::{Deserialize, Serialize};

use super::PanelContext;
use super::districts::format_yi;
use crate::extract::ItemKind;
use crate::insight::themes::Keyword;
use crate::ui::command::{Command, ExportWhat};
use crate::ui::i18n::Strings;
use crate::ui::insights::Insights;
use crate::ui::state::Tab;
use crate::ui::theme;

/// Which chart is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Chart {
    #[default]
    Investment,
    Activity,
    Kinds,
    Themes,
}

/// Districts a bar chart shows unless the analyst asks for all.
const TOP_DISTRICTS: usize = 30;
/// Height of one district's bar row, in points.
const BAR_ROW: f32 = 24.0;

#[derive(Default)]
pub struct ChartsPanel {
    pub chart: Chart,
    show_all: bool,
    /// The district whose themes are shown, and the one compared with it.
    pub theme_district: Option<String>,
    pub compare_district: Option<String>,
    /// Where the chart was drawn in the last frame (screen points), to save it as PNG.
    pub chart_rect: Option<Rect>,
    /// Each bar's district and the screen point at its middle in the last frame, top bar
    /// first (tests click them; the bars themselves have no accessibility node).
    pub bar_targets: Vec<(String, Pos2)>,
    /// The district whose investment bar the pointer is over (its projects are listed).
    pub hovered: Option<String>,
}

impl ChartsPanel {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, insights: &Insights) {
        let strings = cx.strings;
        ui.horizontal_wrapped(|ui| {
            for (chart, label) in [
                (Chart::Investment, strings.chart_investment),
                (Chart::Activity, strings.chart_activity),
                (Chart::Kinds, strings.chart_kinds),
                (Chart::Themes, strings.chart_themes),
            ] {
                if ui.selectable_label(self.chart == chart, label).clicked() {
                    self.chart = chart;
                }
            }
            ui.separator();
            if ui.button(strings.save_png).clicked() {
                cx.commands
                    .push(Command::PickExportPath(ExportWhat::ChartPng));
            }
        });
        ui.weak(strings.charts_follow_filters);
        ui.add_space(theme::GAP / 2.0);
        self.bar_targets.clear();
        self.hovered = None;
        let top = ui.cursor().min;
        match self.chart {
            Chart::Investment => self.investment_ui(ui, cx, insights),
            Chart::Activity => self.activity_ui(ui, cx, insights),
            Chart::Kinds => self.kinds_ui(ui, cx, insights),
            Chart::Themes => self.themes_ui(ui, cx),
        }
        self.chart_rect =
            Some(Rect::from_min_max(top, ui.min_rect().max).intersect(ui.clip_rect()));
    }

    /// The "show all n" toggle under a chart with more districts than fit.
    fn show_all_ui(&mut self, ui: &mut egui::Ui, total: usize) {
        if total > TOP_DISTRICTS {
            ui.checkbox(&mut self.show_all, format!("{TOP_DISTRICTS} / {total}"));
        }
    }

    fn shown(&self, total: usize) -> usize {
        if self.show_all {
            total
        } else {
            total.min(TOP_DISTRICTS)
        }
    }

    fn investment_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, insights: &Insights) {
        let strings = cx.strings;
        ui.horizontal(|ui| {
            ui.strong(strings.chart_investment);
            ui.weak(format!("ⓘ {}", strings.investment_rule))
                .on_hover_text(strings.investment_rule_tip);
            self.show_all_ui(ui, insights.investment.len());
        });
        if insights.investment.is_empty() {
            empty_ui(ui, strings.no_investment);
            return;
        }
        let rows = &insights.investment[..self.shown(insights.investment.len())];
        let labels: Vec<String> = rows.iter().map(|r| r.district.clone()).collect();
        // One series per prefecture city, so the legend names the colours; a colour
        // names one city only, so past the palette's distinct colours the remaining
        // cities share one grey series.
        let mut cities: Vec<&str> = Vec::new();
        for row in rows {
            let city = row.city.as_deref().unwrap_or("");
            if !cities.contains(&city) {
                cities.push(city);
            }
        }
        let other_cities: Vec<&str> = cities.split_off(cities.len().min(theme::DISTINCT_SERIES));
        let series_of = |row: &crate::insight::DistrictInvestment| {
            let city = row.city.as_deref().unwrap_or("");
            cities.iter().position(|c| *c == city)
        };
        let hover: HashMap<String, String> = rows
            .iter()
            .map(|row| {
                let mut text = format!("{}  {} 亿元", row.district, format_yi(row.yuan / 1e8));
                for (project, yuan) in row.projects.iter().take(12) {
                    text.push_str(&format!("\n· {project}  {}", format_yi(yuan / 1e8)));
                }
                if row.projects.len() > 12 {
                    text.push_str(&format!("\n… +{}", row.projects.len() - 12));
                }
                (row.district.clone(), text)
            })
            .collect();
        let series: Vec<(String, Option<usize>, Color32)> = cities
            .iter()
            .enumerate()
            .map(|(index, city)| ((*city).to_owned(), Some(index), theme::series_color(index)))
            .chain((!other_cities.is_empty()).then(|| {
                (
                    strings.other_cities.to_owned(),
                    None,
                    theme::other_series_color(ui.visuals().dark_mode),
                )
            }))
            .collect();
        let charts: Vec<BarChart> = series
            .iter()
            .map(|(name, index, color)| {
                let bars = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, row)| series_of(row) == *index)
                    .map(|(position, row)| {
                        Bar::new(category_at(position, rows.len()), row.yuan / 1e8)
                            .name(&row.district)
                            .fill(*color)
                    })
                    .collect();
                // The project list is a tooltip of the app's own (below); the plot's
                // text at the bar's corner was clipped away.
                BarChart::new(name.as_str(), bars)
                    .horizontal()
                    .width(0.7)
                    .color(*color)
                    .element_formatter(Box::new(|_, _| String::new()))
            })
            .collect();
        let bar_ends: Vec<f64> = rows.iter().map(|r| r.yuan / 1e8).collect();
        let value_color = ui.visuals().text_color();
        let value_size = egui::TextStyle::Body.resolve(ui.style()).size;
        let response = category_plot("investment_chart", &labels, true)
            .x_axis_label(strings.investment_axis)
            .include_x(bar_ends.iter().copied().fold(0.0, f64::max) * 1.15)
            .legend(Legend::default().position(egui_plot::Corner::RightBottom))
            .show(ui, |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart);
                }
                // The figure at the end of each bar, for reading the chart in a report.
                for (position, end) in bar_ends.iter().enumerate() {
                    let at = PlotPoint::new(*end, category_at(position, bar_ends.len()));
                    plot_ui.text(
                        Text::new(
                            "",
                            at,
                            egui::RichText::new(format!(" {}", format_yi(*end)))
                                .size(value_size)
                                .strong(),
                        )
                        .anchor(egui::Align2::LEFT_CENTER)
                        .color(value_color),
                    );
                }
            });
        if let Some(position) = pointed_category(&response, labels.len(), true)
            && let Some(text) = hover.get(&labels[position])
        {
            self.hovered = Some(labels[position].clone());
            response.response.clone().on_hover_ui_at_pointer(|ui| {
                ui.label(text);
            });
        }
        self.district_bars_drawn(&response, &labels, &bar_ends, cx);
    }

    /// After a chart with one horizontal bar per district (`labels`, bars ending at
    /// `bar_ends`): remembers where the bars are, and a click filters by its district.
    fn district_bars_drawn(
        &mut self,
        response: &PlotResponse<()>,
        labels: &[String],
        bar_ends: &[f64],
        cx: &mut PanelContext<'_>,
    ) {
        self.bar_targets = bar_targets(response, labels, bar_ends);
        if let Some(position) = clicked_category(response, labels.len(), true) {
            cx.commands
                .push(Command::FilterDistrict(Some(labels[position].clone())));
            cx.commands.push(Command::ShowTab(Tab::Items));
        }
    }

    fn activity_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, insights: &Insights) {
        let strings = cx.strings;
        let activity = &insights.activity;
        ui.horizontal(|ui| {
            ui.strong(strings.chart_activity);
            ui.weak("ⓘ").on_hover_text(strings.activity_rule_tip);
            if activity.undated > 0 {
                ui.weak(format!("{} {}", activity.undated, strings.undated_items));
            }
            if activity.months.iter().any(|m| m.year.is_none()) {
                ui.weak(strings.year_unknown.trim());
            }
        });
        if activity.months.is_empty() {
            empty_ui(ui, strings.no_chart_data);
            return;
        }
        let labels: Vec<String> = activity.months.iter().map(|&m| strings.month(m)).collect();
        let mut charts: Vec<BarChart> = Vec::new();
        for (&item_kind, counts) in &activity.counts {
            let bars = counts
                .iter()
                .enumerate()
                .map(|(position, &count)| {
                    Bar::new(position as f64, count as f64)
                        .name(&labels[position])
                        .fill(theme::kind_color(item_kind, ui.visuals().dark_mode))
                })
                .collect();
            let below: Vec<&BarChart> = charts.iter().collect();
            let chart = BarChart::new(strings.kinds(item_kind), bars)
                .width(0.8)
                .color(theme::kind_color(item_kind, ui.visuals().dark_mode))
                .stack_on(&below);
            charts.push(chart);
        }
        let tick_every = (labels.len() / 12).max(1);
        let axis_labels: Vec<String> = activity
            .months
            .iter()
            .map(|&m| strings.month_tick(m))
            .collect();
        let height = (ui.available_height() - theme::GAP).max(220.0);
        let response = Plot::new("activity_chart")
            .height(height)
            .legend(Legend::default())
            .allow_zoom(false)
            .allow_drag(false)
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .allow_double_click_reset(false)
            .show_x(false)
            .show_y(false)
            .include_y(0.0)
            .y_axis_label(strings.items_axis)
            // Counts are never negative; the plot's margin would otherwise label one.
            .y_axis_formatter(|mark, _| {
                if mark.value < 0.0 {
                    String::new()
                } else {
                    format!("{}", mark.value)
                }
            })
            .x_grid_spacer(move |input| {
                let (min, max) = input.bounds;
                (min.ceil().max(0.0) as usize..=max.floor().max(0.0) as usize)
                    .filter(|i| i % tick_every == 0)
                    .map(|i| GridMark {
                        value: i as f64,
                        step_size: tick_every as f64,
                    })
                    .collect()
            })
            .x_axis_formatter(move |mark, _| {
                axis_labels
                    .get(mark.value.round() as usize)
                    .cloned()
                    .unwrap_or_default()
            })
            .show(ui, |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart);
                }
            });
        if let Some(position) = clicked_category(&response, labels.len(), false) {
            cx.commands
                .push(Command::FilterMonth(Some(activity.months[position])));
            cx.commands.push(Command::ShowTab(Tab::Items));
        }
    }

    fn kinds_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>, insights: &Insights) {
        let strings = cx.strings;
        ui.horizontal(|ui| {
            ui.strong(strings.chart_kinds);
            self.show_all_ui(ui, insights.kinds.len());
        });
        if insights.kinds.is_empty() {
            empty_ui(ui, strings.no_chart_data);
            return;
        }
        let rows = &insights.kinds[..self.shown(insights.kinds.len())];
        let labels: Vec<String> = rows.iter().map(|r| r.district.clone()).collect();
        let dark = ui.visuals().dark_mode;
        let mut charts: Vec<BarChart> = Vec::new();
        for item_kind in [ItemKind::Project, ItemKind::Official, ItemKind::Amount] {
            let bars = rows
                .iter()
                .enumerate()
                .map(|(position, row)| {
                    let count = match item_kind {
                        ItemKind::Project => row.projects,
                        ItemKind::Official => row.officials,
                        _ => row.amounts,
                    };
                    Bar::new(category_at(position, rows.len()), count as f64)
                        .name(&row.district)
                        .fill(theme::kind_color(item_kind, dark))
                })
                .collect();
            let below: Vec<&BarChart> = charts.iter().collect();
            charts.push(
                BarChart::new(strings.kinds(item_kind), bars)
                    .horizontal()
                    .width(0.7)
                    .color(theme::kind_color(item_kind, dark))
                    .stack_on(&below),
            );
        }
        let bar_ends: Vec<f64> = rows.iter().map(|r| r.total() as f64).collect();
        // Rows run largest first, so the bottom right is where the bars are shortest
        // and the legend hides none of them.
        let response = category_plot("kinds_chart", &labels, true)
            .x_axis_label(strings.items_axis)
            .legend(Legend::default().position(egui_plot::Corner::RightBottom))
            .show(ui, |plot_ui| {
                for chart in charts {
                    plot_ui.bar_chart(chart);
                }
            });
        self.district_bars_drawn(&response, &labels, &bar_ends, cx);
    }

    fn themes_ui(&mut self, ui: &mut egui::Ui, cx: &mut PanelContext<'_>) {
        let strings = cx.strings;
        let workspace = cx.workspace;
        ui.horizontal(|ui| {
            ui.strong(strings.chart_themes);
            ui.weak("ⓘ").on_hover_text(strings.themes_rule_tip);
        });
        let Some(themes) = &workspace.themes else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(strings.themes_computing);
            });
            return;
        };
        if themes.by_district.is_empty() {
            empty_ui(ui, strings.no_chart_data);
            return;
        }
        let names: Vec<&String> = themes.by_district.keys().collect();
        if self
            .theme_district
            .as_ref()
            .is_none_or(|d| !themes.by_district.contains_key(d))
        {
            // The district with the most projects is the likeliest question.
            self.theme_district = workspace
                .districts
                .iter()
                .filter(|d| themes.by_district.contains_key(&d.name))
                .max_by_key(|d| (d.projects, std::cmp::Reverse(d.name.clone())))
                .map(|d| d.name.clone())
                .or_else(|| names.first().map(|n| (*n).clone()));
        }
        ui.horizontal_wrapped(|ui| {
            district_combo(
                ui,
                "theme_district",
                strings.district_label,
                &names,
                &mut self.theme_district,
                false,
            );
            ui.add_space(theme::GAP);
            district_combo(
                ui,
                "compare_district",
                strings.compare_with,
                &names,
                &mut self.compare_district,
                true,
            );
        });
        ui.add_space(theme::GAP / 2.0);
        let shown: Vec<String> = [&self.theme_district, &self.compare_district]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        ui.columns(shown.len().max(1), |columns| {
            for (column, district) in columns.iter_mut().zip(&shown) {
                let keywords = &themes.by_district[district];
                district_summary_ui(column, cx.strings, workspace, district);
                keyword_chart_ui(column, district, keywords);
            }
        });
    }
}

fn empty_ui(ui: &mut egui::Ui, text: &str) {
    ui.add_space(theme::GAP * 2.0);
    ui.vertical_centered(|ui| ui.weak(text));
}

/// The plot coordinate of the `position`-th category (0 = top) of a horizontal bar
/// chart with `count` categories, so the first row is drawn at the top.
fn category_at(position: usize, count: usize) -> f64 {
    (count - 1 - position) as f64
}

/// A bar plot with one category per label on the value-less axis, fixed (no zoom or
/// drag: a click means "filter by this bar"), tall enough for every label.
fn category_plot<'a>(id: &str, labels: &[String], horizontal: bool) -> Plot<'a> {
    let count = labels.len();
    let axis_labels = labels.to_vec();
    let spacer = move |input: egui_plot::GridInput| {
        let (min, max) = input.bounds;
        (min.ceil().max(0.0) as usize..=max.floor().max(0.0) as usize)
            .filter(|i| *i < count)
            .map(|i| GridMark {
                value: i as f64,
                step_size: 1.0,
            })
            .collect()
    };
    let formatter = move |mark: GridMark, _: &std::ops::RangeInclusive<f64>| {
        let value = mark.value.round();
        if value < 0.0 || value as usize >= count {
            return String::new();
        }
        axis_labels[count - 1 - value as usize].clone()
    };
    let plot = Plot::new(id)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false);
    if horizontal {
        plot.height((count as f32 * BAR_ROW + 60.0).max(180.0))
            .include_x(0.0)
            .include_y(-0.6)
            .include_y(count as f64 - 0.4)
            .show_grid(Vec2b::new(true, false))
            .y_grid_spacer(spacer)
            .y_axis_formatter(formatter)
            .y_axis_min_width(96.0)
    } else {
        plot.x_grid_spacer(spacer).x_axis_formatter(formatter)
    }
}

/// The category (0 = first label) a click on the plot landed on, if any.
fn clicked_category(response: &PlotResponse<()>, count: usize, horizontal: bool) -> Option<usize> {
    if !response.response.clicked() {
        return None;
    }
    let pointer = response.response.interact_pointer_pos()?;
    category_under(response, pointer, count, horizontal)
}

/// The category under the mouse pointer, if it is over the plot.
fn pointed_category(response: &PlotResponse<()>, count: usize, horizontal: bool) -> Option<usize> {
    let pointer = response.response.hover_pos()?;
    category_under(response, pointer, count, horizontal)
}

fn category_under(
    response: &PlotResponse<()>,
    pointer: Pos2,
    count: usize,
    horizontal: bool,
) -> Option<usize> {
    let value = response.transform.value_from_position(pointer);
    let coordinate = if horizontal { value.y } else { value.x }.round();
    if coordinate < 0.0 || coordinate as usize >= count {
        return None;
    }
    let coordinate = coordinate as usize;
    Some(if horizontal {
        count - 1 - coordinate
    } else {
        coordinate
    })
}

/// The middle of each horizontal bar on screen, first label first.
fn bar_targets(
    response: &PlotResponse<()>,
    labels: &[String],
    ends: &[f64],
) -> Vec<(String, Pos2)> {
    labels
        .iter()
        .zip(ends)
        .enumerate()
        .map(|(position, (label, end))| {
            let point = PlotPoint::new(end / 2.0, category_at(position, labels.len()));
            (
                label.clone(),
                response.transform.position_from_point(&point),
            )
        })
        .collect()
}

fn district_combo(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    names: &[&String],
    choice: &mut Option<String>,
    optional: bool,
) {
    ui.label(label);
    let shown = choice.clone().unwrap_or_else(|| "—".to_owned());
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .height(400.0)
        .show_ui(ui, |ui| {
            if optional {
                ui.selectable_value(choice, None, "—");
            }
            for name in names {
                ui.selectable_value(choice, Some((*name).clone()), name.as_str());
            }
        });
}

/// A district's numbers from the overview, above its keyword chart.
fn district_summary_ui(
    ui: &mut egui::Ui,
    strings: &Strings,
    workspace: &crate::ui::workspace::Workspace,
    district: &str,
) {
    ui.heading(district);
    let Some(row) = workspace.districts.iter().find(|d| d.name == district) else {
        return;
    };
    egui::Grid::new(("district_numbers", district))
        .num_columns(2)
        .spacing([theme::GAP * 2.0, 2.0])
        .show(ui, |ui| {
            let mut line = |label: &str, value: String| {
                ui.label(label);
                ui.strong(value);
                ui.end_row();
            };
            line(strings.col_documents, row.documents.to_string());
            line(strings.col_projects, row.projects.to_string());
            line(strings.col_officials, row.officials.to_string());
            line(strings.col_investment, format_yi(row.investment_yi));
            let dates = match (&row.first_date, &row.last_date) {
                (Some(first), Some(last)) if first != last => {
                    format!("{} – {}", strings.date(first), strings.date(last))
                }
                (Some(first), _) => strings.date(first).into_owned(),
                _ => "—".to_owned(),
            };
            line(strings.col_date, dates);
        });
}

fn keyword_chart_ui(ui: &mut egui::Ui, district: &str, keywords: &[Keyword]) {
    let labels: Vec<String> = keywords.iter().map(|k| k.word.clone()).collect();
    let bars = keywords
        .iter()
        .enumerate()
        .map(|(position, k)| {
            Bar::new(category_at(position, keywords.len()), k.weight)
                .name(&k.word)
                .fill(theme::series_color(0))
        })
        .collect();
    category_plot(&format!("themes_{district}"), &labels, true)
        .show_axes(Vec2b::new(false, true))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(
                BarChart::new(district, bars)
                    .horizontal()
                    .width(0.7)
                    .color(Color32::from_rgb(0x4e, 0x79, 0xa7)),
            );
        });
}
