//! The national gazetteer of administrative divisions (NBS codes, via china-division),
//! the curated zone aliases, and one Aho-Corasick automaton over every written form.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

const PROVINCES_CSV: &str = include_str!("../../assets/gazetteer/provinces.csv");
const CITIES_CSV: &str = include_str!("../../assets/gazetteer/cities.csv");
const AREAS_CSV: &str = include_str!("../../assets/gazetteer/areas.csv");
const ZONES_TSV: &str = include_str!("../../assets/zones.tsv");

/// Administrative level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    /// Prefecture-level city (or autonomous prefecture, league, region).
    City,
    /// County-level unit: 县, 区, county-level 市, 旗.
    County,
    /// Development or reform zone with its own management.
    Zone,
}

/// Index of a unit in [`Gazetteer::units`].
pub type UnitId = u32;

/// One division.
#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    /// NBS code; `None` for curated zones the table lacks.
    pub code: Option<String>,
    pub level: Level,
    pub city: Option<UnitId>,
    pub province: Option<UnitId>,
}

/// How a surface string refers to a unit. Weak forms need the document to mention the
/// unit's city or province before they are believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The full official name, three characters or more (清徐县).
    Full,
    /// A full name that is also an everyday word or very short (城区, 古县): weak.
    WeakFull,
    /// The name without its 县/区/市 suffix (清徐): weak.
    Short,
    /// A curated alias (综改区, 中北高新区).
    Alias,
    /// A bare zone abbreviation that refers back to a zone named earlier (经开区).
    ZoneBack,
}

/// A pattern of the automaton: one surface string and every unit it may denote.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub surface: String,
    pub candidates: Vec<(UnitId, Form)>,
}

/// Suffixes that make `<place><suffix>` a zone (`晋城经济技术开发区`, `太原高新区`).
pub const ZONE_SUFFIXES: &[&str] = &[
    "经济技术开发区",
    "高新技术产业开发区",
    "高新技术产业园区",
    "高新技术开发区",
    "农业高新技术产业示范区",
    "经济开发区",
    "综合保税区",
    "保税区",
    "高新区",
    "经开区",
    "农高区",
    "综保区",
    "开发区",
    "新区",
];

/// Words allowed between the place and the zone suffix (`晋中国家农高区`).
pub const ZONE_INFIXES: &[&str] = &["国家级", "国家", "省级"];

/// Bare abbreviations that refer back to the last zone of the same type.
const ZONE_BACK_REFERENCES: &[&str] = &["经开区", "高新区", "农高区", "综保区"];

/// Full names that are everyday words; believed only with their city written in front.
pub const GENERIC_FULL_NAMES: &[&str] = &[
    "城区",
    "矿区",
    "郊区",
    "新城区",
    "老城区",
    "市中区",
    "东区",
    "西区",
    "中区",
    "城中区",
    "城东区",
    "城西区",
    "城北区",
    "城南区",
    "新区",
    "开发区",
    "高新区",
    "经开区",
];

/// Short forms that are common words or names of other things; never taken alone.
const SHORT_STOPLIST: &[&str] = &[
    "新华", "和平", "长安", "中山", "城关", "城中", "城东", "城西", "城南", "城北", "东城", "西城",
    "南城", "北城", "新城", "老城", "市中", "铁东", "铁西", "河东", "河西", "江北", "江南", "白云",
    "青山", "向阳", "红旗", "南山", "北山", "东山", "西山", "新兴", "永安", "宝山", "开发", "高新",
    "经开", "东区", "西区", "中区", "矿区", "郊区", "城区", "新区", "市辖", "东方", "北方", "南方",
    "西方", "中方", "大方", "平安", "安全", "长沙", "太平", "光明", "文化", "建设", "发展", "新华",
    "团结", "胜利", "前进", "东风", "红星", "解放", "安定", "清河", "海南", "朝阳", "通州", "华容",
    "永和", "吉安", "新乡", "大同", "白山", "长城", "金山", "龙山", "江山", "泰山", "黄山", "武功",
    "德化", "普兰", "安化", "和田", "当雄", "东至", "石门", "同心", "大安", "正安", "仁和", "太和",
    "兴业", "东港", "西峰", "南沙", "新会", "会同", "阳江", "合作", "兴国", "宁国", "开化", "临江",
    "南江", "北川", "中方",
];

/// Suffixes of province and city names that their short forms drop.
const CITY_SUFFIXES: &[&str] = &["特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"];

/// Ethnic names that prefix 自治县/自治旗/自治区 (the common ones).
const ETHNIC_PREFIXES: &[&str] = &[
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "普米族",
    "塔吉克",
    "怒族",
    "鄂温克族",
    "鄂伦春",
    "裕固族",
    "保安族",
    "各族",
];

/// The whole gazetteer with its automaton.
pub struct Gazetteer {
    pub units: Vec<Unit>,
    pub patterns: Vec<Pattern>,
    automaton: AhoCorasick,
    by_name: HashMap<String, Vec<UnitId>>,
}

impl std::fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gazetteer")
            .field("units", &self.units.len())
            .field("patterns", &self.patterns.len())
            .finish()
    }
}

fn csv_rows(data: &str) -> impl Iterator<Item = csv::StringRecord> + '_ {
    csv::Reader::from_reader(data.as_bytes())
        .into_records()
        .filter_map(Result::ok)
        .collect::<Vec<_>>()
        .into_iter()
}

impl Gazetteer {
    /// Builds the gazetteer from the data compiled into the binary.
    pub fn builtin() -> Gazetteer {
        let mut units: Vec<Unit> = Vec::new();
        let mut province_by_code: HashMap<String, UnitId> = HashMap::new();
        let mut city_by_code: HashMap<String, UnitId> = HashMap::new();
        for row in csv_rows(PROVINCES_CSV) {
            let id = units.len() as UnitId;
            province_by_code.insert(row[0].to_owned(), id);
            units.push(Unit {
                name: row[1].to_owned(),
                code: Some(row[0].to_owned()),
                level: Level::Province,
                city: None,
                province: Some(id),
            });
        }
        for row in csv_rows(CITIES_CSV) {
            let province = province_by_code.get(&row[2]).copied();
            // Municipalities list their districts under placeholder "cities"; the
            // municipality itself is then the city.
            if matches!(
                &row[1],
                "市辖区" | "县" | "省直辖县级行政区划" | "自治区直辖县级行政区划"
            ) {
                let stands_for = if row[1].starts_with("市辖区") || &row[1] == "县" {
                    province
                } else {
                    None
                };
                if let Some(id) = stands_for {
                    city_by_code.insert(row[0].to_owned(), id);
                }
                continue;
            }
            let id = units.len() as UnitId;
            city_by_code.insert(row[0].to_owned(), id);
            units.push(Unit {
                name: row[1].to_owned(),
                code: Some(row[0].to_owned()),
                level: Level::City,
                city: Some(id),
                province,
            });
        }
        for row in csv_rows(AREAS_CSV) {
            if &row[1] == "市辖区" {
                continue;
            }
            let code = row[0].to_owned();
            let is_zone = code.as_bytes().get(4) == Some(&b'7');
            units.push(Unit {
                name: row[1].to_owned(),
                code: Some(code),
                level: if is_zone { Level::Zone } else { Level::County },
                city: city_by_code.get(&row[2]).copied(),
                province: province_by_code.get(&row[3]).copied(),
            });
        }
        let mut by_name: HashMap<String, Vec<UnitId>> = HashMap::new();
        for (id, unit) in units.iter().enumerate() {
            by_name
                .entry(unit.name.clone())
                .or_default()
                .push(id as UnitId);
        }
        let mut surfaces: HashMap<String, Vec<(UnitId, Form)>> = HashMap::new();
        let mut add = |surface: String, id: UnitId, form: Form| {
            let list = surfaces.entry(surface).or_default();
            if !list.iter().any(|(u, _)| *u == id) {
                list.push((id, form));
            }
        };
        for (id, unit) in units.iter().enumerate() {
            let id = id as UnitId;
            let chars = unit.name.chars().count();
            match unit.level {
                Level::Province | Level::City => {
                    add(unit.name.clone(), id, Form::Full);
                    if let Some(short) = city_short_form(&unit.name) {
                        add(short, id, Form::Short);
                    }
                }
                Level::County | Level::Zone => {
                    let weak = chars < 3 || GENERIC_FULL_NAMES.contains(&unit.name.as_str());
                    add(
                        unit.name.clone(),
                        id,
                        if weak { Form::WeakFull } else { Form::Full },
                    );
                    if unit.level == Level::County
                        && let Some(short) = county_short_form(&unit.name)
                        && !SHORT_STOPLIST.contains(&short.as_str())
                    {
                        add(short, id, Form::Short);
                    }
                }
            }
        }
        // Curated zones: attach to an NBS unit where the canonical name is one.
        for line in ZONES_TSV.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').map(str::trim).collect();
            let [alias, canonical, city, province] = fields[..] else {
                continue;
            };
            let id = match by_name.get(canonical).and_then(|ids| ids.first()) {
                Some(&id) => id,
                None => {
                    let id = units.len() as UnitId;
                    let city = by_name.get(city).and_then(|ids| {
                        ids.iter()
                            .copied()
                            .find(|&c| units[c as usize].level == Level::City)
                    });
                    let province = by_name.get(province).and_then(|ids| {
                        ids.iter()
                            .copied()
                            .find(|&p| units[p as usize].level == Level::Province)
                    });
                    units.push(Unit {
                        name: canonical.to_owned(),
                        code: None,
                        level: Level::Zone,
                        city: city.or(province),
                        province,
                    });
                    by_name.entry(canonical.to_owned()).or_default().push(id);
                    id
                }
            };
            add(alias.to_owned(), id, Form::Alias);
        }
        for bare in ZONE_BACK_REFERENCES {
            surfaces.entry((*bare).to_owned()).or_default();
        }
        let mut patterns: Vec<Pattern> = surfaces
            .into_iter()
            .map(|(surface, candidates)| Pattern {
                surface,
                candidates,
            })
            .collect();
        patterns.sort_by(|a, b| a.surface.cmp(&b.surface));
        for pattern in &mut patterns {
            if ZONE_BACK_REFERENCES.contains(&pattern.surface.as_str())
                && pattern.candidates.is_empty()
            {
                pattern.candidates.push((UnitId::MAX, Form::ZoneBack));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(patterns.iter().map(|p| p.surface.as_str()))
            .expect("gazetteer patterns are plain strings");
        Gazetteer {
            units,
            patterns,
            automaton,
            by_name,
        }
    }

    /// The automaton over every surface form; pattern ids index [`Gazetteer::patterns`].
    pub fn automaton(&self) -> &AhoCorasick {
        &self.automaton
    }

    /// Units with exactly this name.
    pub fn named(&self, name: &str) -> &[UnitId] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn unit(&self, id: UnitId) -> &Unit {
        &self.units[id as usize]
    }

    /// Name of the unit's prefecture city (the municipality for Beijing's districts).
    pub fn city_name(&self, id: UnitId) -> Option<&str> {
        let unit = self.unit(id);
        let city = unit.city?;
        Some(self.unit(city).name.as_str())
    }

    pub fn province_name(&self, id: UnitId) -> Option<&str> {
        let province = self.unit(id).province?;
        Some(self.unit(province).name.as_str())
    }
}

/// 太原市 → 太原, 内蒙古自治区 → 内蒙古, 延边朝鲜族自治州 → 延边.
pub fn city_short_form(name: &str) -> Option<String> {
    for suffix in CITY_SUFFIXES {
        if let Some(stem) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(stem);
            if stem.chars().count() >= 2 {
                return Some(stem.to_owned());
            }
        }
    }
    None
}

/// 清徐县 → 清徐, 孟村回族自治县 → 孟村, 神农架林区 → 神农架. Two-character names keep
/// their suffix (a one-character short form would match everywhere).
pub fn county_short_form(name: &str) -> Option<String> {
    for suffix in ["自治县", "自治旗", "新区", "县", "区", "市", "旗"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            let stem = strip_ethnic(stem);
            if stem.chars().count() >= 2 && stem != name {
                return Some(stem.to_owned());
            }
            return None;
        }
    }
    None
}

fn strip_ethnic(stem: &str) -> &str {
    let mut cut = stem.len();
    for ethnic in ETHNIC_PREFIXES {
        if let Some(pos) = stem.find(ethnic)
            && pos > 0
        {
            cut = cut.min(pos);
        }
    }
    &stem[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_the_national_table() {
        let g = Gazetteer::builtin();
        let qingxu = g.named("清徐县")[0];
        assert_eq!(g.unit(qingxu).code.as_deref(), Some("140121"));
        assert_eq!(g.city_name(qingxu), Some("太原市"));
        assert_eq!(g.province_name(qingxu), Some("山西省"));
        assert!(g.named("城区").len() >= 2, "城区 exists in several cities");
        let dongcheng = g.named("东城区")[0];
        assert_eq!(g.city_name(dongcheng), Some("北京市"));
        let zone = g.named("山西转型综合改革示范区")[0];
        assert_eq!(g.unit(zone).level, Level::Zone);
    }

    #[test]
    fn short_forms() {
        assert_eq!(county_short_form("清徐县").as_deref(), Some("清徐"));
        assert_eq!(county_short_form("万柏林区").as_deref(), Some("万柏林"));
        assert_eq!(county_short_form("孟村回族自治县").as_deref(), Some("孟村"));
        assert_eq!(county_short_form("盂县"), None);
        assert_eq!(city_short_form("太原市").as_deref(), Some("太原"));
        assert_eq!(city_short_form("内蒙古自治区").as_deref(), Some("内蒙古"));
        assert_eq!(city_short_form("延边朝鲜族自治州").as_deref(), Some("延边"));
    }
}
