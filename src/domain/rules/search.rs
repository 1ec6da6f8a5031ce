//! Finding anything by what people type: numbers however written (`030 1234`, `+49 30…`), their
//! labels, entity and person names, document and address names, SIDs and cities. An index is
//! built once per workspace snapshot (folded text, so `munchen` finds München); each keystroke
//! then scans it, which stays within a frame for 50,000 numbers (BENCHMARKS.md).

use crate::domain::phone::e164::DigitsSearch;
use crate::domain::phone::locality::fold;
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::entity::Entity;
use crate::domain::records::number::PhoneNumber;
use crate::domain::records::sid::{AddressSid, EntitySid, IdentitySid, NumberSid};

/// What was typed, read once.
pub struct Query {
    /// The folded text.
    text: String,
    /// The digits, when what was typed could be a phone number.
    digits: Option<DigitsSearch>,
    /// The text as a SID prefix (uppercase letters kept as typed).
    sid: String,
}

impl Query {
    /// Reads a search; `None` when nothing searchable was typed.
    pub fn new(typed: &str) -> Option<Query> {
        let typed = typed.trim();
        let text = fold(typed).split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() && !typed.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let digit_count = typed.chars().filter(char::is_ascii_digit).count();
        let phone_like = digit_count >= 2
            && typed
                .chars()
                .all(|c| c.is_ascii_digit() || " +-./()".contains(c));
        Some(Query {
            text,
            digits: phone_like.then(|| DigitsSearch::new(typed)),
            sid: typed.to_string(),
        })
    }

    fn finds(&self, folded: &str) -> bool {
        !self.text.is_empty() && folded.contains(&self.text)
    }

    fn names_sid(&self, sid: &str) -> bool {
        self.sid.len() >= 4
            && sid.len() >= self.sid.len()
            && sid[..self.sid.len()].eq_ignore_ascii_case(&self.sid)
    }
}

/// One record's searchable text.
struct Entry<S> {
    sid: S,
    sid_text: String,
    folded: String,
}

fn entry<S: std::fmt::Display + Copy>(sid: S, texts: &[&str]) -> Entry<S> {
    Entry {
        sid,
        sid_text: sid.to_string(),
        folded: texts
            .iter()
            .map(|t| fold(t))
            .collect::<Vec<_>>()
            .join(" \u{1f} "),
    }
}

/// The searchable text of a workspace.
pub struct SearchIndex {
    numbers: Vec<(Entry<NumberSid>, crate::domain::phone::e164::E164)>,
    documents: Vec<Entry<IdentitySid>>,
    entities: Vec<Entry<EntitySid>>,
    addresses: Vec<Entry<AddressSid>>,
}

/// What a search found, by kind, each list in the workspace's order and cut at the limit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Numbers.
    pub numbers: Vec<NumberSid>,
    /// Identity documents.
    pub documents: Vec<IdentitySid>,
    /// Individuals and businesses.
    pub entities: Vec<EntitySid>,
    /// Addresses.
    pub addresses: Vec<AddressSid>,
    /// How many each kind found in all (numbers, documents, entities, addresses).
    pub totals: [usize; 4],
}

impl Found {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.totals.iter().all(|t| *t == 0)
    }
}

fn matching<S: Copy>(
    entries: &[Entry<S>],
    query: &Query,
    limit: usize,
    total: &mut usize,
) -> Vec<S> {
    let mut out = Vec::new();
    for e in entries {
        if query.finds(&e.folded) || query.names_sid(&e.sid_text) {
            *total += 1;
            if out.len() < limit {
                out.push(e.sid);
            }
        }
    }
    out
}

impl SearchIndex {
    /// Indexes a workspace (numbers by their E.164 order, as My numbers lists them).
    pub fn new(
        numbers: &[PhoneNumber],
        documents: &[IdentityDocument],
        entities: &[Entity],
        addresses: &[Address],
    ) -> SearchIndex {
        let mut sorted: Vec<&PhoneNumber> = numbers.iter().collect();
        crate::domain::ordering::sort_by(&mut sorted, |n| n.e164.clone());
        SearchIndex {
            numbers: sorted
                .into_iter()
                .map(|n| {
                    let area = n.locality().unwrap_or_default();
                    (entry(n.sid, &[&n.friendly_name, area]), n.e164.clone())
                })
                .collect(),
            documents: documents
                .iter()
                .map(|d| {
                    entry(
                        d.sid,
                        &[
                            &d.display_name(),
                            &d.holder(),
                            d.area_name.as_deref().unwrap_or_default(),
                        ],
                    )
                })
                .collect(),
            entities: entities
                .iter()
                .map(|e| entry(e.sid, &[&e.name()]))
                .collect(),
            addresses: addresses
                .iter()
                .map(|a| entry(a.sid, &[&a.label(), &a.one_line()]))
                .collect(),
        }
    }

    /// What `query` finds, at most `limit` of each kind.
    pub fn find(&self, query: &Query, limit: usize) -> Found {
        let mut totals = [0usize; 4];
        let mut numbers = Vec::new();
        for (e, e164) in &self.numbers {
            let hit = query.digits.as_ref().is_some_and(|d| d.matches(e164))
                || query.finds(&e.folded)
                || query.names_sid(&e.sid_text);
            if hit {
                totals[0] += 1;
                if numbers.len() < limit {
                    numbers.push(e.sid);
                }
            }
        }
        let documents = matching(&self.documents, query, limit, &mut totals[1]);
        let entities = matching(&self.entities, query, limit, &mut totals[2]);
        let addresses = matching(&self.addresses, query, limit, &mut totals[3]);
        Found {
            numbers,
            documents,
            entities,
            addresses,
            totals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::demo;
    use crate::domain::exchange::portable::Workspace;
    use crate::domain::records::sid::SeededRandom;
    use crate::domain::time::Timestamp;
    use crate::domain::time::calendar::parse_instant;

    fn demo_ws() -> Workspace {
        let now = Timestamp(parse_instant("2026-12-01T12:00:00Z").unwrap());
        let mut ws = demo::build(now, &mut SeededRandom::new(3)).workspace;
        ws.numbers[0].friendly_name = "Support hotline".into();
        ws
    }

    fn find(ws: &Workspace, typed: &str) -> Found {
        let index = SearchIndex::new(&ws.numbers, &ws.documents, &ws.entities, &ws.addresses);
        Query::new(typed)
            .map(|q| index.find(&q, 10))
            .unwrap_or_default()
    }

    #[test]
    fn finds_numbers_however_written_and_names_however_spelled() {
        let ws = demo_ws();
        let berlin = ws
            .numbers
            .iter()
            .find(|n| n.e164.to_string() == "+49302345678")
            .unwrap();
        for typed in ["030 2345678", "+49 30 2345678", "2345678", "0049302345678"] {
            assert!(find(&ws, typed).numbers.contains(&berlin.sid), "{typed}");
        }
        assert_eq!(
            find(&ws, "support HOTLINE").numbers,
            vec![ws.numbers[0].sid]
        );
        let munich = find(&ws, "munchen");
        assert!(munich.totals[0] >= 1, "a number in München");
        assert!(munich.totals[3] >= 1, "the Munich address");
        assert!(find(&ws, "spree logistik").totals[2] == 1, "the entity");
        let doc = &ws.documents[0];
        assert_eq!(find(&ws, &doc.sid.to_string()).documents, vec![doc.sid]);
        assert_eq!(
            find(&ws, &doc.sid.to_string()[..10].to_lowercase()).documents,
            vec![doc.sid]
        );
    }

    #[test]
    fn nothing_and_markup_find_nothing() {
        let ws = demo_ws();
        assert!(Query::new("   ").is_none());
        assert!(Query::new("<>").is_none());
        assert!(find(&ws, "<script>alert(1)</script>").is_empty());
    }
}
