//! The scorer that decides which candidates the rules propose are shown, and how sure
//! the extractor is of each: a logistic regression per item kind over a few generic
//! features (the rule that proposed the item, its head word, how the segmenter reads
//! it, the words around it). The weights are a reviewable table in
//! `assets/scorer.tsv`, trained on the gold by `policylens train`.
//!
//! Features describe the *shape* of a candidate, never the strings of particular
//! articles, so that what is learnt from the development set carries over to folders
//! nobody annotated.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::ItemKind;

const BUILTIN_TSV: &str = include_str!("../../assets/scorer.tsv");

/// The pseudo-feature holding a kind's intercept.
const BIAS: &str = "(bias)";
/// The pseudo-feature holding a kind's decision threshold.
const THRESHOLD: &str = "(threshold)";
/// Candidates below this confidence are dropped unless the model says otherwise.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Weights of the logistic regression of every kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Model {
    /// Per kind, feature → weight (looked up by `&str`, so scoring allocates nothing).
    weights: HashMap<ItemKind, HashMap<String, f64>>,
    bias: HashMap<ItemKind, f64>,
    threshold: HashMap<ItemKind, f64>,
}

/// A malformed line of a scorer table.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct ModelError {
    pub line: usize,
    pub problem: String,
}

impl Model {
    /// The model shipped with the program.
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| Model::parse(BUILTIN_TSV).unwrap_or_default())
    }

    /// Reads a table of `kind <TAB> feature <TAB> weight` lines (`#` starts a comment).
    pub fn parse(text: &str) -> Result<Model, ModelError> {
        let mut model = Model::default();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let error = |problem: &str| ModelError {
                line: index + 1,
                problem: problem.to_owned(),
            };
            let mut fields = line.split('\t');
            let (Some(kind), Some(feature), Some(weight)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(error("expected kind, feature and weight"));
            };
            let kind = kind_named(kind).ok_or_else(|| error("unknown kind"))?;
            let weight: f64 = weight
                .parse()
                .map_err(|_| error("weight is not a number"))?;
            match feature {
                BIAS => {
                    model.bias.insert(kind, weight);
                }
                THRESHOLD => {
                    model.threshold.insert(kind, weight);
                }
                _ => {
                    model
                        .weights
                        .entry(kind)
                        .or_default()
                        .insert(feature.to_owned(), weight);
                }
            }
        }
        Ok(model)
    }

    /// The table `parse` reads, sorted by kind and weight.
    pub fn to_tsv(&self) -> String {
        let mut out = String::from(
            "# PolicyLens scorer: logistic regression per item kind, trained on the gold by\n\
             # `policylens train`. kind <TAB> feature <TAB> weight; (bias) is the intercept,\n\
             # (threshold) the confidence below which a candidate is not shown.\n",
        );
        for kind in ItemKind::ALL {
            if let Some(bias) = self.bias.get(&kind) {
                out.push_str(&format!("{}\t{BIAS}\t{bias:.4}\n", kind.as_str()));
            }
            if let Some(threshold) = self.threshold.get(&kind) {
                out.push_str(&format!("{}\t{THRESHOLD}\t{threshold:.4}\n", kind.as_str()));
            }
            let mut rows: Vec<(&String, f64)> = self
                .weights
                .get(&kind)
                .into_iter()
                .flatten()
                .map(|(f, w)| (f, *w))
                .collect();
            rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            for (feature, weight) in rows {
                if weight.abs() >= 0.0005 {
                    out.push_str(&format!("{}\t{feature}\t{weight:.4}\n", kind.as_str()));
                }
            }
        }
        out
    }

    /// The probability that a candidate of `kind` with these features is right.
    pub fn confidence(&self, kind: ItemKind, features: &[String]) -> f64 {
        let mut z = self.bias.get(&kind).copied().unwrap_or(2.0);
        if let Some(weights) = self.weights.get(&kind) {
            z += features
                .iter()
                .filter_map(|f| weights.get(f.as_str()))
                .sum::<f64>();
        }
        sigmoid(z)
    }

    /// The confidence below which a candidate of `kind` is not shown.
    pub fn threshold(&self, kind: ItemKind) -> f64 {
        self.threshold
            .get(&kind)
            .copied()
            .unwrap_or(DEFAULT_THRESHOLD)
    }

    /// Fits one logistic regression per kind (L2-regularised, batch gradient descent)
    /// on labelled candidates: `(kind, features, is_right)`.
    pub fn train(examples: &[(ItemKind, Vec<String>, bool)], l2: f64) -> Model {
        let mut model = Model::default();
        for kind in ItemKind::ALL {
            let rows: Vec<(&Vec<String>, bool)> = examples
                .iter()
                .filter(|(k, _, _)| *k == kind)
                .map(|(_, f, y)| (f, *y))
                .collect();
            if rows.is_empty() {
                continue;
            }
            let mut index: HashMap<&str, usize> = HashMap::new();
            for (features, _) in &rows {
                for f in features.iter() {
                    let next = index.len();
                    index.entry(f.as_str()).or_insert(next);
                }
            }
            let encoded: Vec<(Vec<usize>, f64)> = rows
                .iter()
                .map(|(features, y)| {
                    let mut ids: Vec<usize> = features.iter().map(|f| index[f.as_str()]).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    (ids, if *y { 1.0 } else { 0.0 })
                })
                .collect();
            let mut weights = vec![0.0f64; index.len()];
            let positives = encoded.iter().filter(|(_, y)| *y > 0.5).count() as f64;
            let n = encoded.len() as f64;
            // Start at the base rate, smoothed so an all-right kind is not infinitely sure.
            let mut bias = ((positives + 0.5) / (n - positives + 0.5)).ln();
            let rate = 0.5;
            for _ in 0..2000 {
                let mut grad = vec![0.0f64; weights.len()];
                let mut grad_bias = 0.0;
                for (ids, y) in &encoded {
                    let z = bias + ids.iter().map(|i| weights[*i]).sum::<f64>();
                    let error = sigmoid(z) - y;
                    grad_bias += error;
                    for i in ids {
                        grad[*i] += error;
                    }
                }
                bias -= rate * grad_bias / n;
                for (w, g) in weights.iter_mut().zip(&grad) {
                    *w -= rate * (g / n + l2 * *w / n);
                }
            }
            let confidences: Vec<(f64, bool)> = encoded
                .iter()
                .map(|(ids, y)| {
                    let z = bias + ids.iter().map(|i| weights[*i]).sum::<f64>();
                    (sigmoid(z), *y > 0.5)
                })
                .collect();
            model.bias.insert(kind, bias);
            model
                .threshold
                .insert(kind, precision_first_threshold(&confidences));
            model.weights.insert(
                kind,
                index
                    .into_iter()
                    .map(|(feature, i)| (feature.to_owned(), weights[i]))
                    .collect(),
            );
        }
        model
    }
}

/// The threshold, from 0.50 to 0.80 in steps of 0.05, with the best F0.5 over the
/// training candidates: precision counts twice as much as recall, because an analyst
/// adds a missed item in seconds but must find and reject every wrong one. Ties go
/// to the lower threshold.
fn precision_first_threshold(confidences: &[(f64, bool)]) -> f64 {
    let positives = confidences.iter().filter(|(_, right)| *right).count() as f64;
    let mut best = (DEFAULT_THRESHOLD, f64::MIN);
    for step in 0..=6 {
        let threshold = DEFAULT_THRESHOLD + 0.05 * f64::from(step);
        let shown = confidences.iter().filter(|(c, _)| *c >= threshold);
        let (right, wrong) = shown.fold(
            (0.0, 0.0),
            |(r, w), (_, ok)| {
                if *ok { (r + 1.0, w) } else { (r, w + 1.0) }
            },
        );
        let precision = if right + wrong > 0.0 {
            right / (right + wrong)
        } else {
            0.0
        };
        let recall = if positives > 0.0 {
            right / positives
        } else {
            0.0
        };
        let f_half = if precision + recall > 0.0 {
            1.25 * precision * recall / (0.25 * precision + recall)
        } else {
            0.0
        };
        if f_half > best.1 + 1e-9 {
            best = (threshold, f_half);
        }
    }
    best.0
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

fn kind_named(name: &str) -> Option<ItemKind> {
    ItemKind::ALL.into_iter().find(|k| k.as_str() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn training_separates_and_round_trips() {
        let mut examples = Vec::new();
        for _ in 0..20 {
            examples.push((ItemKind::Project, features(&["head=铁路", "proper"]), true));
            examples.push((
                ItemKind::Project,
                features(&["head=工程", "one_word"]),
                false,
            ));
        }
        let model = Model::train(&examples, 1.0);
        let good = model.confidence(ItemKind::Project, &features(&["head=铁路", "proper"]));
        let bad = model.confidence(ItemKind::Project, &features(&["head=工程", "one_word"]));
        assert!(good > 0.9 && bad < 0.1, "{good} {bad}");
        let again = Model::parse(&model.to_tsv()).expect("own table parses");
        let reread = again.confidence(ItemKind::Project, &features(&["head=铁路", "proper"]));
        assert!((reread - good).abs() < 1e-3);
    }

    #[test]
    fn malformed_table_names_the_line() {
        let error = Model::parse("project\t(bias)\t1\nproject\tx\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(Model::parse("planet\tx\t1\n").is_err());
    }
}
