//! Officials: named people with a Party, government, people's-congress or CPPCC post,
//! written as `<titles><name>` (`市人大常委会副主任、清徐县委书记王剑峰`, titles shared
//! across `、`-joined names) or `<name><post>` (`韦韬书记`).

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

const SURNAMES_TXT: &str = include_str!("../../assets/surnames.txt");

/// Posts that end a title, longest first where one contains another.
const POSTS: &[&str] = &[
    "总书记",
    "副书记",
    "书记",
    "常务副主任",
    "副主任",
    "主任",
    "副主席",
    "主席",
    "常务副省长",
    "副省长",
    "省长",
    "常务副市长",
    "副市长",
    "市长",
    "副县长",
    "县长",
    "副区长",
    "区长",
    "副州长",
    "州长",
    "副旗长",
    "旗长",
    "副镇长",
    "镇长",
    "副乡长",
    "乡长",
    "副部长",
    "部长",
    "副厅长",
    "厅长",
    "副局长",
    "局长",
    "秘书长",
    "领导",
    "常委",
    "委员",
    "副总理",
    "总理",
    "国务委员",
    "副院长",
    "院长",
    "检察长",
    "巡视员",
    "党组成员",
];

/// Characters a title may be built from besides place names (`市人大常委会副主任`).
const TITLE_CHARS: &str =
    "省市县区州盟旗镇乡村委人大常务会政协府党工纪监察组副正总书记主任席长领导秘部厅局员院检理国务";

/// Words that follow a name and so mark where it ends.
const NAME_FOLLOWERS: &str = "在说表和与等同到对向为是也还就率参出主来深强指认介接一调带考视会看听讲称要提希坚赴前先随则代已曾将又于以";

/// Data for recognising officials.
pub struct OfficialRules {
    posts: AhoCorasick,
    single_surnames: HashSet<char>,
    compound_surnames: Vec<String>,
}

impl std::fmt::Debug for OfficialRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OfficialRules").finish_non_exhaustive()
    }
}

/// A titled person found in a chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialMention {
    /// Byte range of the name in the chunk.
    pub name: Range<usize>,
    /// Byte ranges of the titles, in textual order.
    pub titles: Vec<Range<usize>>,
    /// Titles written outside the name's chunk (a title on the line before the name);
    /// used instead of `titles` when set.
    pub title_text: Option<Vec<String>>,
}

impl OfficialRules {
    pub fn builtin() -> &'static OfficialRules {
        static RULES: OnceLock<OfficialRules> = OnceLock::new();
        RULES.get_or_init(|| {
            let (single, compound) = SURNAMES_TXT.split_once("---").unwrap_or((SURNAMES_TXT, ""));
            let single_surnames = single
                .lines()
                .filter(|l| !l.starts_with('#'))
                .flat_map(str::chars)
                .filter(|c| !c.is_whitespace())
                .collect();
            let compound_surnames = compound
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect();
            OfficialRules {
                posts: AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(POSTS)
                    .expect("posts compile"),
                single_surnames,
                compound_surnames,
            }
        })
    }

    /// Length in characters of the surname `s` starts with, if any.
    fn surname_len(&self, s: &str) -> Option<usize> {
        if self
            .compound_surnames
            .iter()
            .any(|c| s.starts_with(c.as_str()))
        {
            return Some(2);
        }
        let first = s.chars().next()?;
        self.single_surnames.contains(&first).then_some(1)
    }

    /// The byte length of a personal name at the start of `s`, judged by surname and by
    /// what follows (`王剑峰在`, `李慧说`, `刘旻参加`). `token_ends` are the byte offsets
    /// in `s` where a word of the segmenter ends.
    pub fn name_len(&self, s: &str, token_ends: &[usize]) -> Option<usize> {
        let surname = self.surname_len(s)?;
        if starts_with_title(s) {
            return None;
        }
        let chars: Vec<(usize, char)> = s.char_indices().take(surname + 3).collect();
        let byte_at = |n: usize| chars.get(n).map(|(i, _)| *i).unwrap_or(s.len());
        let han_at = |n: usize| chars.get(n).is_some_and(|(_, c)| is_han(*c));
        for given in [2usize, 1] {
            let len = surname + given;
            if !(0..len).all(han_at) {
                continue;
            }
            let next = chars.get(len).map(|(_, c)| *c);
            let last = chars[len - 1].1;
            // 李慧说, 韦韬在: a follower as third character is a name only when the
            // segmenter does not end a word before it.
            if given == 2
                && NAME_FOLLOWERS.contains(last)
                && (token_ends.is_empty() || token_ends.contains(&byte_at(len - 1)))
            {
                continue;
            }
            let boundary = match next {
                None => true,
                Some(c) if !is_han(c) => true,
                Some(c) => {
                    (NAME_FOLLOWERS.contains(c)
                        && !(given == 1 && token_ends.contains(&byte_at(len + 1))))
                        || starts_with_title(&s[byte_at(len)..])
                        || token_ends.contains(&byte_at(len))
                }
            };
            if boundary {
                return Some(byte_at(len));
            }
        }
        None
    }

    /// Finds `<titles><name>` mentions. `places` are byte ranges of place mentions in the
    /// chunk (a title may start with one: `清徐县委书记`). `spans` are the segmenter's
    /// words over the whole chunk, with their tags.
    pub fn find(
        &self,
        text: &str,
        places: &[Range<usize>],
        spans: &[TaggedSpan],
    ) -> Vec<OfficialMention> {
        let token_ends: Vec<usize> = spans.iter().map(|(r, _)| r.end).collect();
        let title_start = |text: &str, post_start: usize, places: &[Range<usize>]| {
            title_start(text, post_start, places).map(|s| extend_title_start(text, s, spans))
        };
        let mut out: Vec<OfficialMention> = Vec::new();
        let mut taken_until = 0;
        for post in self.posts.find_iter(text) {
            if post.start() < taken_until {
                continue;
            }
            let after = &text[post.end()..];
            let local_ends: Vec<usize> = token_ends
                .iter()
                .filter(|e| **e > post.end())
                .map(|e| e - post.end())
                .collect();
            // Officials sharing one title: 副省长杨勤荣、熊继军.
            let mut names = Vec::new();
            // `国务院总理　李克强`: a title and its name set apart by spacing.
            let mut cursor = after.len() - after.trim_start_matches([' ', '\u{3000}']).len();
            while let Some(len) = self.name_len(&after[cursor..], &shift(&local_ends, cursor)) {
                names.push(post.end() + cursor..post.end() + cursor + len);
                cursor += len;
                if !after[cursor..].starts_with('、') {
                    break;
                }
                cursor += '、'.len_utf8();
            }
            if names.is_empty() {
                continue;
            }
            let Some(first_title) = title_start(text, post.start(), places) else {
                continue;
            };
            let mut titles = Vec::new();
            titles.push(first_title..post.end());
            // Earlier titles of the same person: 副市长、晋源区委书记.
            let mut start = first_title;
            while text[..start].ends_with('、') {
                let before = start - '、'.len_utf8();
                let Some(prev_post) = self
                    .posts
                    .find_iter(&text[..before])
                    .last()
                    .filter(|m| m.end() == before)
                else {
                    break;
                };
                let Some(prev_start) = title_start(text, prev_post.start(), places) else {
                    break;
                };
                titles.insert(0, prev_start..before);
                start = prev_start;
            }
            taken_until = names.last().map(|n| n.end).unwrap_or(post.end());
            for name in names {
                out.push(OfficialMention {
                    name,
                    titles: titles.clone(),
                    title_text: None,
                });
            }
        }
        out
    }

    /// The post that ends `line`, if one does.
    pub fn post_at_end(&self, line: &str) -> Option<Range<usize>> {
        self.posts
            .find_iter(line)
            .last()
            .filter(|m| m.end() == line.len())
            .map(|m| m.range())
    }

    /// Finds `<name><post>` mentions (`韦韬书记`), accepting the name when the segmenter
    /// tagged it as a person or when it is already known as an official.
    pub fn find_name_then_post(
        &self,
        text: &str,
        person_tokens: &[Range<usize>],
        known: &HashSet<String>,
    ) -> Vec<OfficialMention> {
        let mut out = Vec::new();
        for post in self.posts.find_iter(text) {
            if !matches!(
                &text[post.range()],
                "书记" | "省长" | "市长" | "县长" | "区长" | "主任" | "主席" | "总理" | "部长"
            ) {
                continue;
            }
            let before = &text[..post.start()];
            for chars in [3usize, 2] {
                let Some((start, _)) = before.char_indices().rev().nth(chars - 1) else {
                    continue;
                };
                let name = &before[start..];
                if !name.chars().all(is_han) || self.surname_len(name).is_none() {
                    continue;
                }
                let tagged = person_tokens
                    .iter()
                    .any(|t| t.start == start && t.end == post.start());
                if tagged || known.contains(name) {
                    out.push(OfficialMention {
                        name: start..post.start(),
                        titles: vec![post.range()],
                        title_text: None,
                    });
                    break;
                }
            }
        }
        out
    }
}

fn shift(ends: &[usize], by: usize) -> Vec<usize> {
    ends.iter().filter(|e| **e > by).map(|e| e - by).collect()
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// Does `s` open with a title rather than a name (`区长王`, `市委`, `副省长`)?
fn starts_with_title(s: &str) -> bool {
    POSTS.iter().any(|p| s.starts_with(p))
        || [
            "省委", "市委", "县委", "区委", "州委", "副", "党委", "政府", "人大", "政协",
        ]
        .iter()
        .any(|p| s.starts_with(p))
}

/// Walks back from a post over title characters and place names to where the title
/// starts. Returns `None` when the result is not a plausible title.
fn title_start(text: &str, post_start: usize, places: &[Range<usize>]) -> Option<usize> {
    let mut start = post_start;
    loop {
        if let Some(place) = places.iter().find(|p| p.end == start && p.start < start) {
            start = place.start;
            continue;
        }
        let Some(c) = text[..start].chars().next_back() else {
            break;
        };
        if TITLE_CHARS.contains(c) {
            start -= c.len_utf8();
            continue;
        }
        break;
    }
    // A title of place characters alone after another word (全市领导) is not a title.
    let title = &text[start..post_start];
    if title.starts_with(['会', '员', '记', '任', '长', '导', '务']) {
        return None;
    }
    Some(start)
}

/// A segmenter token as the official rules see it: byte range in the chunk and tag.
pub type TaggedSpan<'t> = (Range<usize>, &'t str);

/// Nouns that never belong to a title although the segmenter tags them as nouns
/// (`央视网消息河南省委书记`, `时任河南省委常委`).
const NOT_TITLE_WORDS: &[&str] = &[
    "消息",
    "记者",
    "时任",
    "现任",
    "曾任",
    "原任",
    "担任",
    "同志",
    "新闻",
    "报道",
    "日电",
    "电",
    "代表",
    "人大代表",
    "委员会委员",
    // Verbs of meeting the segmenter reads as nouns (`李克强会见越南总理`).
    "会见",
    "会谈",
    "接见",
    "陪同",
    "看望",
    "慰问",
];

/// Index of the first token that ends after byte `at`. Tokens cover their chunk in
/// order, so this is a binary search (a chunk may hold thousands of posts).
fn first_ending_after(tokens: &[TaggedSpan], at: usize) -> usize {
    tokens.partition_point(|(r, _)| r.end <= at)
}

/// Where a title really starts: the rules walk back over title characters, which can
/// stop inside a word (`公安部部长` read as `部部长`) or before an organisation written
/// out (`中共中央政治局委员`). This walks on over whole words that name an organisation
/// or place, stopping at punctuation, function words and verbs.
pub fn extend_title_start(text: &str, start: usize, tokens: &[TaggedSpan]) -> usize {
    const MAX_TITLE_BYTES: usize = 30 * 3;
    let mut start = start;
    let limit = start.saturating_sub(MAX_TITLE_BYTES);
    // A title that starts inside a word starts with that word.
    // (Not a verb or preposition glued on: `访市|人大…` is tagged v.)
    if let Some((range, tag)) = tokens.get(first_ending_after(tokens, start))
        && range.start < start
        && matches!(*tag, "nt" | "ns" | "j" | "nz" | "n")
    {
        start = range.start;
    }
    while let Some((range, tag)) = first_ending_after(tokens, start)
        .checked_sub(1)
        .map(|i| &tokens[i])
        .filter(|(r, _)| r.end == start)
    {
        let word = &text[range.clone()];
        let organisation = matches!(*tag, "nt" | "ns" | "j" | "b" | "nz" | "n" | "ng")
            || word.chars().all(|c| TITLE_CHARS.contains(c));
        if !organisation
            || NOT_TITLE_WORDS.contains(&word)
            || !word.chars().all(is_han)
            || range.start < limit
        {
            break;
        }
        start = range.start;
    }
    start
}

/// Is the name a person's name by the segmenter's reading? It must not cut a word
/// (`高度重` of 高度重视), and must not be a common word (`来到`, `干部`) or start
/// with a function word before one (`向记者`, `和应急`).
pub fn plausible_name(name: &Range<usize>, tokens: &[TaggedSpan], text: &str) -> bool {
    let inside: Vec<&TaggedSpan> = tokens[first_ending_after(tokens, name.start)..]
        .iter()
        .take_while(|(r, _)| r.start < name.end)
        .collect();
    let cuts_a_word = inside
        .iter()
        .any(|(r, _)| r.start < name.start || r.end > name.end);
    if inside.is_empty() || cuts_a_word {
        return false;
    }
    let is_person_tag = |tag: &str| tag.starts_with("nr") || tag == "x";
    if let [(range, tag)] = inside.as_slice() {
        // The segmenter tags some three-character names as places (黄坤明/ns).
        let three_chars = text[range.clone()].chars().count() == 3;
        return is_person_tag(tag) || *tag == "nz" || (*tag == "ns" && three_chars);
    }
    // A name does not end in a conjunction, preposition or particle (`干部或`), nor
    // start with a conjunction (`主席和卢拉总统` read as 和卢拉).
    let single = |r: &Range<usize>| text[r.clone()].chars().count() == 1;
    if let Some((r, tag)) = inside.last()
        && single(r)
        && (matches!(*tag, "c" | "p" | "d") || tag.starts_with('u'))
    {
        return false;
    }
    if let Some((r, "c")) = inside.first().map(|(r, t)| (r, *t))
        && single(r)
    {
        return false;
    }
    // Split names come as pieces (王/nr 剑峰/ns, 刘/zg 锦春/ns, 黄润/n 秋/t); a later
    // piece that is an everyday word of two characters or more means a phrase, not a
    // name (`向记者`, `和应急`).
    !inside.iter().skip(1).any(|(r, tag)| {
        let word = &text[r.clone()];
        word.chars().count() >= 2
            && !is_person_tag(tag)
            && matches!(
                *tag,
                "n" | "v"
                    | "t"
                    | "vn"
                    | "vd"
                    | "a"
                    | "ad"
                    | "d"
                    | "p"
                    | "c"
                    | "r"
                    | "m"
                    | "q"
                    | "f"
                    | "l"
            )
            || tag.starts_with('u')
    })
}

/// Heads of a post (`院长`) that a company or hospital also uses: they are a public
/// post only when the title names a state body (`最高人民法院院长`).
pub fn is_public_post(title: &str) -> bool {
    if title.ends_with("院长") {
        return [
            "法院",
            "检察院",
            "国务院",
            "科学院",
            "工程院",
            "研究院",
            "党校",
        ]
        .iter()
        .any(|b| title.contains(b));
    }
    ![
        "公司",
        "集团",
        "医院",
        "企业",
        "银行",
        "协会",
        "商会",
        "学会",
        "俱乐部",
    ]
    .iter()
    .any(|b| title.contains(b))
}

/// Cheap test before segmenting a chunk: does it contain any post word?
pub fn might_hold_officials(text: &str) -> bool {
    OfficialRules::builtin().posts.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, places: &[Range<usize>]) -> Vec<(String, Vec<String>)> {
        OfficialRules::builtin()
            .find(text, places, &[])
            .into_iter()
            .map(|m| {
                (
                    text[m.name].to_owned(),
                    m.titles.into_iter().map(|t| text[t].to_owned()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn titles_and_names() {
        let text = "近日，市人大常委会副主任、清徐县委书记王剑峰在接受本报采访时说";
        let at = text.find("清徐县").unwrap();
        let got = names(text, std::slice::from_ref(&(at..at + "清徐县".len())));
        assert_eq!(
            got,
            vec![(
                "王剑峰".to_owned(),
                vec!["市人大常委会副主任".to_owned(), "清徐县委书记".to_owned()]
            )]
        );
    }

    #[test]
    fn shared_title_and_short_names() {
        let got = names("副省长杨勤荣、熊继军参加。", &[]);
        assert_eq!(
            got.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            vec!["杨勤荣", "熊继军"]
        );
        let got = names("省领导韦韬、岳普尧、张志川、刘旻参加审议。", &[]);
        assert_eq!(got.len(), 4, "{got:?}");
        assert_eq!(got[3].0, "刘旻");
        let got = names(
            "迎泽区委书记李慧说。",
            std::slice::from_ref(&(0.."迎泽区".len())),
        );
        assert_eq!(got[0].0, "李慧");
    }

    #[test]
    fn chained_posts_of_one_person() {
        let text = "小店区委书记、区长袁尔铭在接受";
        let got = names(text, std::slice::from_ref(&(0.."小店区".len())));
        assert_eq!(
            got,
            vec![(
                "袁尔铭".to_owned(),
                vec!["小店区委书记".to_owned(), "区长".to_owned()]
            )]
        );
    }

    #[test]
    fn reporters_are_not_officials() {
        assert!(names("记者 司勇", &[]).is_empty());
        assert!(names("（以上由司勇编辑整理）", &[]).is_empty());
    }
}
