//! The answers the charts and the projects view show, derived from the items table's
//! current rows (so every chart follows the filters and tags) and rebuilt only when the
//! rows or the annotations change.

use crate::insight::projects::{GroupingInput, ProjectGroup, group_projects};
use crate::insight::{
    Activity, DistrictInvestment, DistrictKinds, Reviewed, activity_by_month,
    investment_by_district, kinds_by_district,
};

use super::review::Review;
use super::workspace::Workspace;

#[derive(Default)]
pub struct Insights {
    /// (workspace generation, annotation generation, rows version) of the data below.
    key: Option<(u64, u64, u64)>,
    pub groups: Vec<ProjectGroup>,
    pub investment: Vec<DistrictInvestment>,
    pub activity: Activity,
    pub kinds: Vec<DistrictKinds>,
}

impl Insights {
    /// Rebuilds from `rows` (the items table's rows, `rows_version` their version) when
    /// anything they depend on changed.
    pub fn refresh(
        &mut self,
        workspace: &Workspace,
        review: &Review,
        rows: &[u32],
        rows_version: u64,
    ) {
        let key = (workspace.generation, review.generation, rows_version);
        if self.key == Some(key) {
            return;
        }
        self.key = Some(key);
        let notes = review.notes();
        let items = &workspace.items;
        let input = GroupingInput {
            items,
            notes: &notes,
            stages: &workspace.facts.stages,
            article_dates: &workspace.facts.article_dates,
        };
        self.groups = group_projects(&input, rows.iter().map(|&r| r as usize));
        self.investment = investment_by_district(&self.groups);
        let reviewed = || {
            rows.iter()
                .map(|&r| Reviewed::new(items, &notes, r as usize))
        };
        self.activity = activity_by_month(reviewed(), &workspace.facts.months);
        self.kinds = kinds_by_district(reviewed());
    }
}
