//! Finding the places an article mentions: county-level units and zones (the analyst's
//! "districts"), prefecture cities and provinces, with ambiguous names resolved by the
//! places the same article mentions.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::gazetteer::{
    Form, GENERIC_FULL_NAMES, Gazetteer, Level, UnitId, ZONE_INFIXES, ZONE_SUFFIXES,
};
use super::text::Chunk;

/// A place as the output names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub canonical: String,
    pub code: Option<String>,
    pub level: Level,
    pub city: Option<String>,
    pub province: Option<String>,
}

/// One mention of a place in a chunk.
#[derive(Debug, Clone)]
pub struct Mention {
    pub chunk: usize,
    /// Byte range in the chunk's text.
    pub bytes: Range<usize>,
    /// Index into [`Places::places`].
    pub place: usize,
}

/// Every place mention of one document, and the places they resolve to.
#[derive(Debug, Default)]
pub struct Places {
    pub places: Vec<Place>,
    /// In document order.
    pub mentions: Vec<Mention>,
}

impl Places {
    pub fn place_of(&self, mention: &Mention) -> &Place {
        &self.places[mention.place]
    }

    /// Is this mention a county-level unit or zone (what the product calls a district)?
    pub fn is_district(&self, mention: &Mention) -> bool {
        matches!(
            self.places[mention.place].level,
            Level::County | Level::Zone
        )
    }
}

/// What a raw match may refer to before the document's context decides.
#[derive(Debug, Clone)]
enum Target {
    Units(Vec<(UnitId, Form)>),
    /// `<place><suffix>` not in the table: keyed by place and normalised suffix.
    PatternZone {
        key: String,
        written: String,
        city: Option<UnitId>,
    },
    /// A bare 经开区 that refers back to the last zone of its type.
    Back(String),
}

#[derive(Debug, Clone)]
struct Raw {
    chunk: usize,
    bytes: Range<usize>,
    target: Target,
}

/// Continuations that make a short form part of another proper name (迎泽大街,
/// 华润晋源 aside) rather than a reference to the unit.
const NAME_CONTINUATIONS: &[&str] = &[
    "大街",
    "西大街",
    "东大街",
    "南大街",
    "北大街",
    "街",
    "路",
    "大道",
    "大桥",
    "桥",
    "世纪城",
    "院区",
    "校区",
    "花卉",
    "大米",
    "创新",
    "产业园",
    "公司",
    "集团",
    "银行",
    "大学",
    "学院",
    "日报",
    "晚报",
    "电视台",
    "社",
    "网",
    "站",
    "宾馆",
    "酒店",
    "饭店",
    "广场",
    "医院",
    "中学",
    "小学",
    "附中",
    "一中",
    "二中",
    "古城",
    "稻花城",
    "村",
    "镇",
    "乡",
    "河",
    "湖",
    "湾",
    "水库",
    "机场",
    "煤矿",
    "煤电",
    "电厂",
    "水城",
    "商圈",
    "号",
    "牌",
    "店",
    "馆",
    "园",
    "寺",
    "庙",
    "山",
    "峰",
    "沟",
    "岭",
    "口",
    "古县城",
    "县城",
    "代表团",
];

/// Normalised zone suffix, so 晋城经开区 and 晋城经济技术开发区 are one zone.
fn zone_type(suffix: &str) -> &'static str {
    match suffix {
        "经济技术开发区" | "经开区" => "经济技术开发区",
        "高新技术产业开发区" | "高新技术开发区" | "高新技术产业园区" | "高新区" => {
            "高新技术产业开发区"
        }
        "农业高新技术产业示范区" | "农高区" => "农业高新技术产业示范区",
        "综合保税区" | "综保区" => "综合保税区",
        "经济开发区" => "经济开发区",
        "保税区" => "保税区",
        "开发区" => "开发区",
        _ => "新区",
    }
}

/// Finds and resolves the place mentions of a document's chunks.
pub fn find_places(gazetteer: &Gazetteer, chunks: &[Chunk]) -> Places {
    let mut raws = raw_matches(gazetteer, chunks);
    merge_city_prefixes(gazetteer, chunks, &mut raws);
    let scope = Scope::of(gazetteer, &raws);
    resolve(gazetteer, chunks, raws, &scope)
}

fn raw_matches(gazetteer: &Gazetteer, chunks: &[Chunk]) -> Vec<Raw> {
    let mut raws = Vec::new();
    for (chunk_index, chunk) in chunks.iter().enumerate() {
        let text = chunk.text.as_str();
        let mut skip_until = 0;
        for m in gazetteer.automaton().find_iter(text) {
            if m.start() < skip_until {
                continue;
            }
            let pattern = &gazetteer.patterns[m.pattern().as_usize()];
            let target = if pattern.candidates.iter().any(|(_, f)| *f == Form::ZoneBack) {
                Target::Back(zone_type(&pattern.surface).to_owned())
            } else {
                Target::Units(pattern.candidates.clone())
            };
            let mut raw = Raw {
                chunk: chunk_index,
                bytes: m.range(),
                target,
            };
            if let Some(zone_end) = extend_to_zone(gazetteer, text, &mut raw) {
                skip_until = zone_end;
            }
            raws.push(raw);
        }
    }
    raws
}

/// Turns `<place>[国家]<zone suffix>` into a zone mention; returns its end.
fn extend_to_zone(gazetteer: &Gazetteer, text: &str, raw: &mut Raw) -> Option<usize> {
    let Target::Units(candidates) = &raw.target else {
        return None;
    };
    let place = candidates
        .iter()
        .find(|(id, _)| {
            matches!(
                gazetteer.unit(*id).level,
                Level::City | Level::County | Level::Province
            )
        })?
        .0;
    let mut rest = &text[raw.bytes.end..];
    let mut end = raw.bytes.end;
    for infix in ZONE_INFIXES {
        if let Some(after) = rest.strip_prefix(infix) {
            end += infix.len();
            rest = after;
            break;
        }
    }
    let suffix = ZONE_SUFFIXES.iter().find(|s| rest.starts_with(**s))?;
    end += suffix.len();
    let written = &text[raw.bytes.start..end];
    let unit = gazetteer.unit(place);
    let city = match unit.level {
        Level::City => Some(place),
        Level::County => unit.city,
        _ => None,
    };
    raw.target = match gazetteer.named(written).first() {
        Some(&id) => Target::Units(vec![(id, Form::Full)]),
        None => Target::PatternZone {
            key: format!("{}{}", unit.name, zone_type(suffix)),
            written: written.to_owned(),
            city,
        },
    };
    raw.bytes.end = end;
    Some(end)
}

/// The candidates of a match that belong to a city (`level` City) or, as counties, to a
/// province (`level` Province) among the candidates of the match written right before
/// it; they become full-name readings.
fn pinned_by(
    gazetteer: &Gazetteer,
    prefix: &[(UnitId, Form)],
    units: &[(UnitId, Form)],
    level: Level,
) -> Vec<(UnitId, Form)> {
    let parents: HashSet<UnitId> = prefix
        .iter()
        .filter(|(id, _)| gazetteer.unit(*id).level == level)
        .map(|(id, _)| *id)
        .collect();
    units
        .iter()
        .filter(|(id, _)| {
            let unit = gazetteer.unit(*id);
            match level {
                Level::City => unit.city.is_some_and(|c| parents.contains(&c)),
                _ => {
                    unit.level == Level::County
                        && unit.province.is_some_and(|p| parents.contains(&p))
                }
            }
        })
        .map(|(id, _)| (*id, Form::Full))
        .collect()
}

/// `晋城市城区`: a city written right before one of its own districts pins that district.
fn merge_city_prefixes(gazetteer: &Gazetteer, chunks: &[Chunk], raws: &mut Vec<Raw>) {
    let mut merged: Vec<Raw> = Vec::with_capacity(raws.len());
    for raw in raws.drain(..) {
        if let Some(prev) = merged.last_mut()
            && prev.chunk == raw.chunk
            && prev.bytes.end == raw.bytes.start
            && let (Target::Units(prev_units), Target::Units(units)) = (&prev.target, &raw.target)
        {
            let pinned = pinned_by(gazetteer, prev_units, units, Level::City);
            if !pinned.is_empty() && !chunks[raw.chunk].text[raw.bytes.clone()].is_empty() {
                prev.bytes.end = raw.bytes.end;
                prev.target = Target::Units(pinned);
                continue;
            }
            // `陕西眉县`, `福建晋江`, `北京石景山`: a province written right before one of
            // its counties pins the county, short form or not. The province stays a
            // mention of its own.
            let pinned = pinned_by(gazetteer, prev_units, units, Level::Province);
            let after = &chunks[raw.chunk].text[raw.bytes.end..];
            let part_of_other_name = NAME_CONTINUATIONS.iter().any(|c| after.starts_with(c));
            if pinned.len() == 1 && !part_of_other_name {
                merged.push(Raw {
                    target: Target::Units(pinned),
                    ..raw
                });
                continue;
            }
        }
        merged.push(raw);
    }
    *raws = merged;
}

/// The cities and provinces a document is about, from its unambiguous mentions.
struct Scope {
    cities: HashSet<UnitId>,
    provinces: HashSet<UnitId>,
    strong_units: HashSet<UnitId>,
}

impl Scope {
    fn of(gazetteer: &Gazetteer, raws: &[Raw]) -> Scope {
        let mut scope = Scope {
            cities: HashSet::new(),
            provinces: HashSet::new(),
            strong_units: HashSet::new(),
        };
        for raw in raws {
            match &raw.target {
                Target::Units(units) => {
                    let strong: Vec<UnitId> = units
                        .iter()
                        .filter(|(id, form)| {
                            let level = gazetteer.unit(*id).level;
                            matches!(form, Form::Full | Form::Alias)
                                || (level == Level::Province && *form == Form::Short)
                        })
                        .map(|(id, _)| *id)
                        .collect();
                    if strong.len() != 1 {
                        continue;
                    }
                    let unit = gazetteer.unit(strong[0]);
                    scope.strong_units.insert(strong[0]);
                    if let Some(city) = unit.city {
                        scope.cities.insert(city);
                    }
                    if let Some(province) = unit.province {
                        scope.provinces.insert(province);
                    }
                }
                Target::PatternZone {
                    city: Some(city), ..
                } => {
                    scope.cities.insert(*city);
                    if let Some(province) = gazetteer.unit(*city).province {
                        scope.provinces.insert(province);
                    }
                }
                _ => {}
            }
        }
        // A city's short form (太原, but also 朝阳, a common word) counts only where the
        // document is already in that city's province.
        for raw in raws {
            if let Target::Units(units) = &raw.target {
                for (id, form) in units {
                    let unit = gazetteer.unit(*id);
                    if unit.level == Level::City
                        && *form == Form::Short
                        && unit.province.is_some_and(|p| scope.provinces.contains(&p))
                    {
                        scope.cities.insert(*id);
                    }
                }
            }
        }
        scope
    }

    fn score(&self, gazetteer: &Gazetteer, id: UnitId) -> u32 {
        let unit = gazetteer.unit(id);
        let mut score = 0;
        if self.strong_units.contains(&id) {
            score += 4;
        }
        if unit.city.is_some_and(|c| self.cities.contains(&c)) {
            score += 2;
        }
        if unit.province.is_some_and(|p| self.provinces.contains(&p)) {
            score += 1;
        }
        score
    }
}

fn resolve(gazetteer: &Gazetteer, chunks: &[Chunk], raws: Vec<Raw>, scope: &Scope) -> Places {
    let mut places = Places::default();
    let mut place_index: HashMap<String, usize> = HashMap::new();
    // Pattern zones take the fullest form the article writes (GUIDELINES §2).
    let mut zone_written: HashMap<String, String> = HashMap::new();
    for raw in &raws {
        if let Target::PatternZone { key, written, .. } = &raw.target {
            let best = zone_written
                .entry(key.clone())
                .or_insert_with(|| written.clone());
            if written.chars().count() > best.chars().count() {
                *best = written.clone();
            }
        }
    }
    let mut last_zone_of_type: HashMap<&'static str, usize> = HashMap::new();
    for raw in raws {
        let text = &chunks[raw.chunk].text;
        let after = &text[raw.bytes.end..];
        let place = match &raw.target {
            Target::Units(candidates) => {
                let Some((id, form)) = choose(gazetteer, candidates, scope) else {
                    continue;
                };
                let written = &text[raw.bytes.clone()];
                if matches!(form, Form::Short | Form::WeakFull)
                    && NAME_CONTINUATIONS.iter().any(|c| after.starts_with(c))
                {
                    continue;
                }
                if form == Form::WeakFull && GENERIC_FULL_NAMES.contains(&written) {
                    continue;
                }
                let unit = gazetteer.unit(id);
                Place {
                    canonical: unit.name.clone(),
                    code: unit.code.clone(),
                    level: unit.level,
                    city: gazetteer.city_name(id).map(str::to_owned),
                    province: gazetteer.province_name(id).map(str::to_owned),
                }
            }
            Target::PatternZone { key, city, .. } => Place {
                canonical: zone_written[key].clone(),
                code: None,
                level: Level::Zone,
                city: city.map(|c| gazetteer.unit(c).name.clone()),
                province: city
                    .and_then(|c| gazetteer.province_name(c))
                    .map(str::to_owned),
            },
            Target::Back(zone) => {
                let Some(&place) = last_zone_of_type.get(zone.as_str()) else {
                    continue;
                };
                places.mentions.push(Mention {
                    chunk: raw.chunk,
                    bytes: raw.bytes,
                    place,
                });
                continue;
            }
        };
        let key = format!(
            "{}|{}",
            place.canonical,
            place.code.as_deref().unwrap_or("")
        );
        let index = *place_index.entry(key).or_insert_with(|| {
            places.places.push(place.clone());
            places.places.len() - 1
        });
        if place.level == Level::Zone {
            let written = &text[raw.bytes.clone()];
            if let Some(suffix) = ZONE_SUFFIXES.iter().find(|s| written.ends_with(**s)) {
                last_zone_of_type.insert(zone_type(suffix), index);
            }
        }
        places.mentions.push(Mention {
            chunk: raw.chunk,
            bytes: raw.bytes,
            place: index,
        });
    }
    places
}

/// Picks the unit a surface form denotes in this document, or none when a weak form has
/// no support from the document's other places.
fn choose(
    gazetteer: &Gazetteer,
    candidates: &[(UnitId, Form)],
    scope: &Scope,
) -> Option<(UnitId, Form)> {
    let mut best: Option<(UnitId, Form, u32)> = None;
    for &(id, form) in candidates {
        let unit = gazetteer.unit(id);
        let mut score = scope.score(gazetteer, id);
        let weak = matches!(form, Form::Short | Form::WeakFull);
        let city_in_scope = unit.level == Level::City && scope.cities.contains(&id);
        if weak && score < 2 && !(unit.level == Level::Province || city_in_scope) {
            continue;
        }
        // A short form naming both a city and one of its counties means the city.
        if matches!(unit.level, Level::City | Level::Province) {
            score += 1;
        }
        if best.is_none_or(|(_, _, s)| score > s) {
            best = Some((id, form, score));
        }
    }
    best.map(|(id, form, _)| (id, form))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::structure::Structure;
    use crate::extract::text::{CharIndex, chunks};

    fn places_in(text: &str) -> Vec<(String, String)> {
        let gazetteer = Gazetteer::builtin();
        let structure = Structure::parse(text);
        let index = CharIndex::new(text);
        let chunks = chunks(text, &structure, &index);
        let places = find_places(&gazetteer, &chunks);
        places
            .mentions
            .iter()
            .map(|m| {
                (
                    chunks[m.chunk].text[m.bytes.clone()].to_owned(),
                    places.place_of(m).canonical.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn full_short_and_prefixed_forms() {
        let got = places_in(
            "省委书记深入晋城市城区、阳城县和晋城经济技术开发区调研，晋城经开区企业座谈。",
        );
        let names: Vec<&str> = got.iter().map(|(_, c)| c.as_str()).collect();
        assert!(names.contains(&"城区"), "{got:?}");
        assert!(names.contains(&"阳城县"));
        assert_eq!(
            names.iter().filter(|n| **n == "晋城经济技术开发区").count(),
            2,
            "{got:?}"
        );
    }

    #[test]
    fn generic_and_embedded_forms_are_not_districts() {
        let got = places_in("太原市迎泽区要充分发挥城区的辐射带动作用，以迎泽大街为主轴。");
        assert_eq!(got, vec![("太原市迎泽区".to_owned(), "迎泽区".to_owned())]);
    }

    #[test]
    fn province_before_a_short_form_pins_the_county() {
        let got = places_in("【走进县城看发展】福建晋江：民营经济。陕西眉县猕猴桃。");
        let names: Vec<&str> = got.iter().map(|(_, c)| c.as_str()).collect();
        assert!(names.contains(&"晋江市"), "{got:?}");
        assert!(names.contains(&"眉县"), "{got:?}");
        assert!(names.contains(&"福建省"), "{got:?}");
        // A province before a street name of the same spelling pins nothing.
        assert!(!places_in("北京丰台站").iter().any(|(_, c)| c == "丰台区"));
    }

    #[test]
    fn short_form_needs_the_document_to_be_there() {
        assert!(places_in("把清徐打造成目的地。").is_empty());
        let got = places_in("太原市清徐县。把清徐打造成目的地。");
        assert_eq!(
            got.last().unwrap(),
            &("清徐".to_owned(), "清徐县".to_owned())
        );
    }
}
