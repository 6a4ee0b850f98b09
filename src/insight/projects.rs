//! Projects tracked across articles. The same project appears in several articles with
//! different wording (`清源水城` / `清源水城项目` / `“清源水城”`); items are grouped by
//! their normalised name within the same district, and the analyst can merge or split
//! groups by hand ([`ItemNote::group`](crate::annotate::ItemNote::group)).

use std::collections::{BTreeSet, HashMap};

use super::Reviewed;
use crate::Document;
use crate::annotate::lookup::NoteLookup;
use crate::extract::{Item, ItemKind};

/// Where a project stands, from the words around its mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Planned,
    Signed,
    Started,
    Operating,
    Completed,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Planned,
        Stage::Signed,
        Stage::Started,
        Stage::Operating,
        Stage::Completed,
    ];

    /// The words that state the stage; the first is its label.
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Stage::Planned => &["规划", "谋划", "筹划", "拟建", "储备"],
            Stage::Signed => &["签约", "签订", "落地", "招商"],
            Stage::Started => &["开工", "动工", "奠基", "在建", "施工"],
            Stage::Operating => &["投产", "投运", "运营", "并网", "达产"],
            Stage::Completed => &["建成", "竣工", "完工", "落成"],
        }
    }

    pub fn label(self) -> &'static str {
        self.words()[0]
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of stages, one byte per project mention.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Stages(u8);

impl Stages {
    pub fn contains(self, stage: Stage) -> bool {
        self.0 & stage.bit() != 0
    }

    pub fn insert(&mut self, stage: Stage) {
        self.0 |= stage.bit();
    }

    pub fn iter(self) -> impl Iterator<Item = Stage> {
        Stage::ALL.into_iter().filter(move |s| self.contains(*s))
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `签约 开工`: the labels in stage order.
    pub fn labels(self) -> String {
        self.iter().map(Stage::label).collect::<Vec<_>>().join(" ")
    }

    /// The stages stated in `sentence`.
    pub fn in_sentence(sentence: &str) -> Stages {
        let mut stages = Stages::default();
        for stage in Stage::ALL {
            if stage.words().iter().any(|w| sentence.contains(w)) {
                stages.insert(stage);
            }
        }
        stages
    }
}

fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '\n' | '!' | '?' | ';')
}

/// Per item, the stages stated in the sentence of each project mention (empty for other
/// kinds). Built once per folder, off the UI thread: it reads the documents' text.
pub fn mention_stages(items: &[Item], documents: &[Document]) -> Vec<Stages> {
    let texts: HashMap<&str, &str> = documents
        .iter()
        .map(|d| (d.file.as_str(), d.text.as_str()))
        .collect();
    let mut by_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        if item.kind == ItemKind::Project {
            by_file.entry(&item.file).or_default().push(index);
        }
    }
    let mut stages = vec![Stages::default(); items.len()];
    for (file, indices) in by_file {
        let Some(text) = texts.get(file) else {
            continue;
        };
        let char_starts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        for index in indices {
            let item = &items[index];
            let (Some(&start), Some(&end)) =
                (char_starts.get(item.start), char_starts.get(item.end))
            else {
                continue;
            };
            let sentence_start = text[..start]
                .char_indices()
                .rev()
                .find(|&(_, c)| ends_sentence(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let sentence_end = text[end..]
                .char_indices()
                .find(|&(_, c)| ends_sentence(c))
                .map_or(text.len(), |(i, _)| end + i);
            stages[index] = Stages::in_sentence(&text[sentence_start..sentence_end]);
        }
    }
    stages
}

/// The name a project is grouped by: without spaces, quotes, brackets and the word 项目,
/// without a leading name of its own district (`沁水县中海油…` = `中海油…`), with
/// full-width letters and digits made ASCII and ASCII lower-cased. Phase markers (`二期`)
/// stay, so phases are separate projects.
pub fn normalized_name(name: &str, district: Option<&str>) -> String {
    let mut cleaned: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !is_quote_or_bracket(*c))
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_lowercase())
        .collect::<String>()
        .replace("项目", "");
    if let Some(district) = district {
        let short = district
            .strip_suffix(['县', '区', '市', '旗'])
            .filter(|s| s.chars().count() >= 2);
        for prefix in [Some(district), short].into_iter().flatten() {
            if let Some(rest) = cleaned.strip_prefix(prefix)
                && rest.chars().count() >= 2
            {
                cleaned = rest.to_owned();
                break;
            }
        }
    }
    cleaned
}

fn is_quote_or_bracket(c: char) -> bool {
    matches!(
        c,
        '“' | '”'
            | '‘'
            | '’'
            | '"'
            | '\''
            | '「'
            | '」'
            | '『'
            | '』'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '·'
    )
}

/// The automatic group of a project: its district and normalised name.
pub fn automatic_key(district: Option<&str>, name: &str) -> String {
    format!(
        "{}\u{1f}{}",
        district.unwrap_or(""),
        normalized_name(name, district)
    )
}

/// The key of the group an analyst splits `item_id` out into.
pub fn split_key(item_id: &str) -> String {
    format!("split\u{1f}{item_id}")
}

/// One mention of a project in one article.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectMention {
    pub item: usize,
    pub file: String,
    /// As written, page breaks removed.
    pub text: String,
    /// The article's own date, when known.
    pub article_date: Option<String>,
    pub investment_yuan: Option<f64>,
    /// The investment as written (`8.16亿元`).
    pub investment: Option<String>,
    pub stages: Stages,
}

/// The mentions of one project across articles.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectGroup {
    pub key: String,
    /// The most frequent wording (the first one on a tie).
    pub name: String,
    pub district: Option<String>,
    pub city: Option<String>,
    /// In story order: dated articles by date, then undated ones by file; within an
    /// article by position.
    pub mentions: Vec<ProjectMention>,
    /// Whether the analyst merged or split anything into this group.
    pub edited: bool,
}

impl ProjectGroup {
    /// The investment counted for the project: the latest stated figure, since later
    /// articles revise earlier ones. A figure repeated in two articles counts once.
    pub fn investment_yuan(&self) -> Option<f64> {
        self.mentions.iter().rev().find_map(|m| m.investment_yuan)
    }

    pub fn first(&self) -> &ProjectMention {
        &self.mentions[0]
    }

    pub fn last(&self) -> &ProjectMention {
        &self.mentions[self.mentions.len() - 1]
    }

    /// The articles it appears in, in story order.
    pub fn documents(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.mentions
            .iter()
            .filter(|m| seen.insert(m.file.as_str()))
            .map(|m| m.file.as_str())
            .collect()
    }

    /// The stated investments in story order, each change once (`8.16亿元 → 10亿元`).
    pub fn investment_history(&self) -> Vec<&str> {
        let mut history: Vec<&str> = Vec::new();
        let mut last = None;
        for mention in &self.mentions {
            if let (Some(yuan), Some(text)) = (mention.investment_yuan, &mention.investment)
                && last != Some(yuan)
            {
                history.push(text);
                last = Some(yuan);
            }
        }
        history
    }

    /// The stages in story order, each article's new stages once (`签约 → 开工`).
    pub fn stage_history(&self) -> Vec<Stage> {
        let mut history: Vec<Stage> = Vec::new();
        for mention in &self.mentions {
            for stage in mention.stages.iter() {
                if history.last() != Some(&stage) && !history.contains(&stage) {
                    history.push(stage);
                }
            }
        }
        history
    }
}

/// What grouping reads besides the items.
pub struct GroupingInput<'a> {
    pub items: &'a [Item],
    pub notes: &'a dyn NoteLookup,
    /// Per item ([`mention_stages`]).
    pub stages: &'a [Stages],
    /// File → the article's own date.
    pub article_dates: &'a HashMap<String, String>,
}

/// Groups the project items among `rows` (the table's filtered rows, or all items).
/// Groups come largest first (mentions, then documents), ties by name.
pub fn group_projects(
    input: &GroupingInput,
    rows: impl IntoIterator<Item = usize>,
) -> Vec<ProjectGroup> {
    let mut groups: HashMap<String, ProjectGroup> = HashMap::new();
    for index in rows {
        let reviewed = Reviewed::new(input.items, input.notes, index);
        if reviewed.kind() != ItemKind::Project {
            continue;
        }
        let item = reviewed.item;
        let name = item.canonical.as_deref().unwrap_or(&item.text);
        let district = reviewed.county().or(item.district.as_deref());
        let manual = reviewed.note.and_then(|n| n.group.clone());
        let key = manual
            .clone()
            .unwrap_or_else(|| automatic_key(district, name));
        let group = groups.entry(key.clone()).or_insert_with(|| ProjectGroup {
            key,
            name: String::new(),
            district: district.map(str::to_owned),
            city: item.city.clone(),
            mentions: Vec::new(),
            edited: false,
        });
        group.edited |= manual.is_some();
        group.mentions.push(ProjectMention {
            item: index,
            file: item.file.clone(),
            text: name.chars().filter(|c| *c != '\n' && *c != '\r').collect(),
            article_date: input.article_dates.get(&item.file).cloned(),
            investment_yuan: reviewed.investment_yuan(),
            investment: item.investment.clone().or_else(|| {
                reviewed
                    .investment_yuan()
                    .map(|yuan| format!("{}亿元", yuan / 1e8))
            }),
            stages: input.stages.get(index).copied().unwrap_or_default(),
        });
    }
    let mut groups: Vec<ProjectGroup> = groups
        .into_values()
        .map(|mut group| {
            // Dated articles first, in date order; then those dated only by month and
            // day (their year unknown, so never mixed into the dated order); then the
            // undated ones.
            group.mentions.sort_by(|a, b| {
                (
                    super::date_order(a.article_date.as_deref()),
                    &a.file,
                    input.items[a.item].start,
                )
                    .cmp(&(
                        super::date_order(b.article_date.as_deref()),
                        &b.file,
                        input.items[b.item].start,
                    ))
            });
            group.name = most_frequent_wording(&group.mentions);
            group
        })
        .collect();
    groups.sort_by(|a, b| {
        b.mentions
            .len()
            .cmp(&a.mentions.len())
            .then_with(|| b.documents().len().cmp(&a.documents().len()))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.key.cmp(&b.key))
    });
    groups
}

fn most_frequent_wording(mentions: &[ProjectMention]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for mention in mentions {
        match counts.iter_mut().find(|(text, _)| *text == mention.text) {
            Some((_, count)) => *count += 1,
            None => counts.push((&mention.text, 1)),
        }
    }
    // `max_by_key` keeps the last maximum; reversing keeps the first wording on a tie.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, count)| *count)
        .map(|(text, _)| text.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::ItemNote;
    use crate::annotate::lookup::NoNotes;
    use crate::insight::investment_by_district;

    fn project(file: &str, text: &str, district: &str, investment: Option<(&str, f64)>) -> Item {
        let mut item = Item::bare(
            format!("{file}:{text}"),
            ItemKind::Project,
            file.into(),
            text.into(),
            0..text.chars().count(),
        );
        item.district = Some(district.into());
        item.city = Some("太原市".into());
        if let Some((written, yuan)) = investment {
            item.investment = Some(written.into());
            item.amount_yuan = Some(yuan);
        }
        item
    }

    #[test]
    fn name_variants_normalise_alike_and_phases_stay_apart() {
        let n = |name| normalized_name(name, Some("清徐县"));
        assert_eq!(n("清源水城"), n("清源水城项目"));
        assert_eq!(n("“清源水城”"), n("清源水城"));
        assert_eq!(n("清徐县清源水城"), n("清源水城"));
        assert_eq!(n("清徐清源水城 项目"), n("清源水城"));
        assert_eq!(n("中石化１５０ＭＷ光伏发电项目"), n("中石化150MW光伏发电"));
        assert_ne!(n("晋源稻花城项目二期"), n("晋源稻花城"));
        assert_eq!(n("“晋源稻花城”项目二期"), n("晋源稻花城二期"));
        assert_eq!(
            n("清徐县"),
            "清徐县",
            "a name that is only the district stays"
        );
    }

    #[test]
    fn variants_across_articles_form_one_group_in_story_order() {
        let items = vec![
            project("b.txt", "清源水城项目", "清徐县", Some(("10亿元", 1e9))),
            project("a.txt", "清源水城", "清徐县", Some(("8.16亿元", 8.16e8))),
            project("c.txt", "清源水城", "阳曲县", None),
            project("c.txt", "南部新城", "清徐县", None),
        ];
        let article_dates = HashMap::from([
            ("a.txt".to_owned(), "2023-01-10".to_owned()),
            ("b.txt".to_owned(), "2023-05-01".to_owned()),
        ]);
        let stages = vec![Stages::default(); items.len()];
        let input = GroupingInput {
            items: &items,
            notes: &NoNotes,
            stages: &stages,
            article_dates: &article_dates,
        };
        let groups = group_projects(&input, 0..items.len());
        assert_eq!(
            groups.len(),
            3,
            "same name in another district is another project"
        );
        let qingyuan = &groups[0];
        assert_eq!(qingyuan.district.as_deref(), Some("清徐县"));
        assert_eq!(qingyuan.documents(), ["a.txt", "b.txt"]);
        assert_eq!(qingyuan.investment_history(), ["8.16亿元", "10亿元"]);
        assert_eq!(
            qingyuan.investment_yuan(),
            Some(1e9),
            "the latest figure counts"
        );
    }

    #[test]
    fn a_repeated_investment_counts_once_per_district() {
        let items = vec![
            project(
                "a.txt",
                "中石化150MW光伏发电项目",
                "古交市",
                Some(("8.16亿元", 8.16e8)),
            ),
            project(
                "b.txt",
                "中石化150MW光伏发电",
                "古交市",
                Some(("8.16亿元", 8.16e8)),
            ),
            project(
                "b.txt",
                "光伏产业龙头项目",
                "古交市",
                Some(("140亿元", 1.4e10)),
            ),
            project("b.txt", "清源水城", "清徐县", Some(("20亿元", 2e9))),
        ];
        let stages = vec![Stages::default(); items.len()];
        let article_dates = HashMap::new();
        let input = GroupingInput {
            items: &items,
            notes: &NoNotes,
            stages: &stages,
            article_dates: &article_dates,
        };
        let rows = investment_by_district(&group_projects(&input, 0..items.len()));
        assert_eq!(rows[0].district, "古交市");
        assert!(
            (rows[0].yuan - (8.16e8 + 1.4e10)).abs() < 1.0,
            "{}",
            rows[0].yuan
        );
        assert_eq!(rows[0].projects[0].0, "光伏产业龙头项目");
        assert_eq!(rows[1].district, "清徐县");
    }

    struct Notes(HashMap<usize, ItemNote>);

    impl NoteLookup for Notes {
        fn note(&self, item: usize) -> Option<&ItemNote> {
            self.0.get(&item)
        }
    }

    #[test]
    fn the_analyst_merges_and_splits_groups() {
        let items = vec![
            project("a.txt", "清源水城", "清徐县", None),
            project("b.txt", "清源水城", "清徐县", None),
            project("b.txt", "水城片区", "清徐县", None),
        ];
        let stages = vec![Stages::default(); items.len()];
        let article_dates = HashMap::new();
        let merged_key = automatic_key(Some("清徐县"), "清源水城");
        let notes = Notes(HashMap::from([
            (
                2,
                ItemNote {
                    group: Some(merged_key.clone()),
                    ..ItemNote::on(&items[2])
                },
            ),
            (
                1,
                ItemNote {
                    group: Some(split_key(&items[1].id)),
                    ..ItemNote::on(&items[1])
                },
            ),
        ]));
        let input = GroupingInput {
            items: &items,
            notes: &notes,
            stages: &stages,
            article_dates: &article_dates,
        };
        let groups = group_projects(&input, 0..items.len());
        let members = |key: &str| -> Vec<usize> {
            let group = groups.iter().find(|g| g.key == key).expect("group");
            group.mentions.iter().map(|m| m.item).collect()
        };
        assert_eq!(members(&merged_key), [0, 2]);
        assert_eq!(members(&split_key(&items[1].id)), [1]);
        assert!(groups.iter().all(|g| g.edited));
    }

    #[test]
    fn stages_come_from_the_mention_sentence_only() {
        let text = "清源水城项目去年签约。今年南部新城开工建设，清源水城将于年底建成。";
        let document = Document::from_text("a.txt", text);
        let at = |needle: &str, nth: usize| {
            let byte = text.match_indices(needle).nth(nth).expect("needle").0;
            let start = text[..byte].chars().count();
            let mut item = Item::bare(
                String::new(),
                ItemKind::Project,
                "a.txt".into(),
                needle.into(),
                start..start + needle.chars().count(),
            );
            item.kind = ItemKind::Project;
            item
        };
        let items = vec![at("清源水城", 0), at("南部新城", 0), at("清源水城", 1)];
        let stages = mention_stages(&items, &[document]);
        assert_eq!(stages[0].labels(), "签约", "the sentence ends at 。");
        assert_eq!(stages[1].labels(), "开工 建成", "a sentence, not a clause");
        assert_eq!(stages[2].labels(), "开工 建成");
    }
}
