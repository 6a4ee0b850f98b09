//! Place names for people who type them: pinyin from the `pinyin` crate (its tables come
//! from the Unicode Han database), a search that finds a district by its name, its short
//! form (清徐 for 清徐县), its pinyin (`qingxu`) or the initials of its pinyin (`qx`), and
//! a pinyin sort key beside code-point order. Every unit of the national gazetteer can be
//! listed as a choice ([`PlaceChoices::gazetteer`]).

use pinyin::{ToPinyin, ToPinyinMulti};

use crate::extract::{Gazetteer, Level};

/// Suffixes written as a word of their own in pinyin (`Qingxu Xian`).
const SUFFIXES: [char; 5] = ['县', '区', '市', '旗', '州'];

/// The pinyin of a place name as the English UI shows it, without tones: the name
/// joined, its administrative suffix apart, each capitalised (`清徐县` → `Qingxu Xian`).
/// Characters without a reading are kept as they are.
pub fn pinyin(name: &str) -> String {
    let (body, suffix) = split_suffix(name);
    let word = |text: &str| capitalised(&readings_default(text));
    match suffix {
        Some(suffix) if !body.is_empty() => format!("{} {}", word(body), word(suffix)),
        _ => word(name),
    }
}

/// The key *Sort by pinyin* orders by: the default reading, lower case, syllables apart
/// so that `xi an` sorts before `xian`.
pub fn sort_key(name: &str) -> String {
    default_syllables(name).collect::<Vec<_>>().join(" ")
}

/// Whether `name` is what `query` looks for: a part of the name (or of its short form,
/// which is a part), or, for a query of Latin letters, the start of its pinyin in any
/// of its characters' readings, or of the initials of its syllables. Case and spaces in
/// the query do not matter.
pub fn matches(name: &str, query: &str) -> bool {
    rank(name, query).is_some()
}

/// How well `name` answers `query`: `Some(0)` when it starts with it (in characters,
/// pinyin or initials), `Some(1)` when the match starts further in, `None` when it does
/// not match.
pub fn rank(name: &str, query: &str) -> Option<u8> {
    let query: String = query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if query.is_empty() || name.starts_with(&query) {
        return Some(0);
    }
    if name.contains(&query) {
        return Some(1);
    }
    if !query.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let (body, _) = split_suffix(name);
    let readings: Vec<Vec<&'static str>> = name
        .to_pinyin_multi()
        .map(|multi| multi.map_or_else(Vec::new, |m| m.into_iter().map(|p| p.plain()).collect()))
        .collect();
    if reads_as(&readings, &query) || initials(&readings).starts_with(&query) {
        return Some(0);
    }
    // The pinyin may start at a later character (`xu` finds 清徐县), for the short
    // form's sake mostly.
    let starts = body.chars().count().max(1);
    (1..starts)
        .any(|from| reads_as(&readings[from..], &query))
        .then_some(1)
}

/// Whether some choice of readings, syllable after syllable, spells `query` from its
/// start (the query may end inside a syllable).
fn reads_as(readings: &[Vec<&str>], query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let Some((first, rest)) = readings.split_first() else {
        return false;
    };
    first.iter().any(|syllable| {
        if let Some(remaining) = query.strip_prefix(syllable) {
            reads_as(rest, remaining)
        } else {
            syllable.starts_with(query)
        }
    })
}

fn initials(readings: &[Vec<&str>]) -> String {
    readings
        .iter()
        .filter_map(|r| r.first().and_then(|s| s.chars().next()))
        .collect()
}

/// Each character's default reading, without tones; a character without one as it is.
fn default_syllables(text: &str) -> impl Iterator<Item = String> + '_ {
    text.to_pinyin()
        .zip(text.chars())
        .map(|(p, c)| p.map_or_else(|| c.to_string(), |p| p.plain().to_owned()))
}

fn readings_default(text: &str) -> String {
    default_syllables(text).collect()
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn split_suffix(name: &str) -> (&str, Option<&str>) {
    match name.char_indices().last() {
        Some((at, last)) if SUFFIXES.contains(&last) && name.chars().count() > 2 => {
            (&name[..at], Some(&name[at..]))
        }
        _ => (name, None),
    }
}

/// One place to choose: its name and what tells it apart from a namesake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceChoice {
    pub name: String,
    /// `太原市 · 山西省`; empty for a place only the folder knows.
    pub within: String,
    pub pinyin: String,
}

/// The places a picker offers.
#[derive(Debug, Clone, Default)]
pub struct PlaceChoices {
    pub choices: Vec<PlaceChoice>,
}

impl PlaceChoices {
    /// `folder` names first (in their order), then every county-level unit and zone of
    /// the gazetteer not among them, by code.
    pub fn gazetteer(gazetteer: &Gazetteer, folder: &[String]) -> PlaceChoices {
        let mut choices = PlaceChoices::of_folder(folder).choices;
        let known: std::collections::HashSet<&str> = folder.iter().map(String::as_str).collect();
        for (id, unit) in gazetteer.units.iter().enumerate() {
            if !matches!(unit.level, Level::County | Level::Zone) {
                continue;
            }
            let id = id as crate::extract::gazetteer::UnitId;
            let within = [gazetteer.city_name(id), gazetteer.province_name(id)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · ");
            if known.contains(unit.name.as_str()) {
                // The folder's own entry gains where it is.
                if let Some(choice) = choices.iter_mut().find(|c| c.name == unit.name)
                    && choice.within.is_empty()
                {
                    choice.within = within;
                }
                continue;
            }
            choices.push(PlaceChoice {
                name: unit.name.clone(),
                within,
                pinyin: pinyin(&unit.name),
            });
        }
        PlaceChoices { choices }
    }

    /// Only the folder's names.
    pub fn of_folder(names: &[String]) -> PlaceChoices {
        PlaceChoices {
            choices: names
                .iter()
                .map(|name| PlaceChoice {
                    name: name.clone(),
                    within: String::new(),
                    pinyin: pinyin(name),
                })
                .collect(),
        }
    }

    /// The indices of the choices `query` finds: those that start with it first, each
    /// group in order.
    pub fn find(&self, query: &str) -> Vec<usize> {
        let mut found: Vec<(u8, usize)> = (self.choices.iter().enumerate())
            .filter_map(|(i, c)| Some((rank(&c.name, query)?, i)))
            .collect();
        found.sort();
        found.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_in_pinyin() {
        assert_eq!(pinyin("清徐县"), "Qingxu Xian");
        assert_eq!(pinyin("古交市"), "Gujiao Shi");
        assert_eq!(pinyin("阳曲"), "Yangqu");
        assert_eq!(pinyin("综改区"), "Zonggai Qu");
    }

    #[test]
    fn a_district_is_found_by_name_short_form_pinyin_and_initials() {
        for query in [
            "清徐县",
            "清徐",
            "qingxu",
            "QingXu",
            "qing xu",
            "xu",
            "qxx",
            "qingx",
        ] {
            assert!(matches("清徐县", query), "{query}");
        }
        for query in ["qingxv", "yangqu", "阳曲", "xx"] {
            assert!(!matches("清徐县", query), "{query}");
        }
        // What starts with the query comes before what holds it further in.
        let choices = PlaceChoices::of_folder(&["万柏林区".to_owned(), "临城县".to_owned()]);
        assert_eq!(choices.find("lin"), [1, 0]);
        // Any reading of a character with several: 六安 is read lu'an.
        assert!(matches("六安市", "luan"));
        assert!(matches("六安市", "liuan"));
    }

    #[test]
    fn the_gazetteer_offers_every_county_with_the_folders_first() {
        let gazetteer = Gazetteer::builtin();
        let folder = vec!["综改区".to_owned(), "清徐县".to_owned()];
        let choices = PlaceChoices::gazetteer(&gazetteer, &folder);
        assert!(choices.choices.len() > 2900, "{}", choices.choices.len());
        assert_eq!(choices.choices[0].name, "综改区");
        assert_eq!(choices.choices[1].within, "太原市 · 山西省");
        assert_eq!(
            choices
                .choices
                .iter()
                .filter(|c| c.name == "清徐县")
                .count(),
            1
        );
        let found = choices.find("qingxu");
        assert_eq!(choices.choices[found[0]].name, "清徐县");
        // Namesakes are told apart by where they are.
        let chaoyang: Vec<&PlaceChoice> = choices
            .find("朝阳区")
            .into_iter()
            .map(|i| &choices.choices[i])
            .collect();
        assert!(chaoyang.len() >= 2);
        assert!(chaoyang.iter().any(|c| c.within.contains("北京")));
        assert!(sort_key("西安市") < sort_key("咸阳市"));
    }
}
