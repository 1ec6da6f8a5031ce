//! Mapping choices for many numbers at once: which documents and addresses each number may be
//! mapped to, with the same answers as [`mapping_options`](crate::domain::rules::compliance::mapping_options)
//! but without evaluating every number against every record.
//!
//! Three facts make it cheap. A document's standing (passed, still offered, details and scans
//! complete) does not depend on the number, so it is checked once per document. Only documents
//! prepared for the number's country and type can fit it, so documents are grouped by kind. And a
//! local-area rule is met by exactly the addresses whose normalised city is one of the area's
//! accepted names, so addresses are indexed by country and by city name, and the addresses meeting
//! a rule at a target are computed once per distinct (rule, country, area). A property test checks
//! that the answers equal `mapping_options` on random workspaces.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::domain::time::calendar::Date;

use crate::domain::phone::locality::{accepted_names, normalize};
use crate::domain::records::address::Address;
use crate::domain::records::document::IdentityDocument;
use crate::domain::records::kinds::{Country, NumberType};
use crate::domain::records::sid::{AddressSid, IdentitySid};
use crate::domain::rules::compliance::{NumberRef, binds_address, document_standing, offered};
use crate::domain::rules::regulation::{AddressRule, Catalog, Regulation};

/// The records a number may be mapped to: what its drop-downs offer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Eligible {
    /// The eligible documents, in workspace order.
    pub documents: Vec<IdentitySid>,
    /// The eligible addresses, in workspace order.
    pub addresses: Vec<AddressSid>,
}

/// Addresses (as indexes) meeting a rule, per (rule, country) and then per area prefix, so a
/// lookup by a borrowed prefix needs no allocation.
type MeetingCache = RefCell<HashMap<(AddressRule, Country), HashMap<String, Rc<BTreeSet<usize>>>>>;

/// The indexes over one workspace, built once for many numbers.
pub struct MappingIndex<'a> {
    catalog: &'a Catalog,
    documents: &'a [IdentityDocument],
    addresses: &'a [Address],
    /// Per (country, type): the documents prepared for it that stand (passed and complete), with
    /// their regulation.
    standing: HashMap<(Country, NumberType), Vec<(usize, &'a Regulation)>>,
    by_sid: HashMap<IdentitySid, usize>,
    /// Each document's own address, as an index into `addresses`.
    own_address: Vec<Option<usize>>,
    address_at: HashMap<AddressSid, usize>,
    by_country: HashMap<Country, Vec<usize>>,
    by_city: HashMap<(Country, String), Vec<usize>>,
    /// Whether each address is a PO box, which some regulations refuse wherever it is.
    po_box: Vec<bool>,
    meeting: MeetingCache,
}

impl<'a> MappingIndex<'a> {
    /// Indexes a workspace's documents and addresses as of `today`.
    pub fn new(
        catalog: &'a Catalog,
        documents: &'a [IdentityDocument],
        addresses: &'a [Address],
        today: Date,
    ) -> MappingIndex<'a> {
        let mut standing: HashMap<(Country, NumberType), Vec<(usize, &'a Regulation)>> =
            HashMap::new();
        for (i, d) in documents.iter().enumerate() {
            if let Ok(regulation) = document_standing(catalog, d, today) {
                standing
                    .entry((d.regulation.country, d.regulation.number_type))
                    .or_default()
                    .push((i, regulation));
            }
        }
        let mut by_country: HashMap<Country, Vec<usize>> = HashMap::new();
        let mut by_city: HashMap<(Country, String), Vec<usize>> = HashMap::new();
        for (i, a) in addresses.iter().enumerate() {
            by_country.entry(a.country).or_default().push(i);
            let city = normalize(&a.city);
            if !city.is_empty() {
                by_city.entry((a.country, city)).or_default().push(i);
            }
        }
        let address_at: HashMap<AddressSid, usize> = addresses
            .iter()
            .enumerate()
            .map(|(i, a)| (a.sid, i))
            .collect();
        MappingIndex {
            catalog,
            own_address: documents
                .iter()
                .map(|d| d.address_sid.and_then(|s| address_at.get(&s).copied()))
                .collect(),
            documents,
            addresses,
            standing,
            by_sid: documents
                .iter()
                .enumerate()
                .map(|(i, d)| (d.sid, i))
                .collect(),
            address_at,
            by_country,
            by_city,
            po_box: addresses.iter().map(Address::is_po_box).collect(),
            meeting: RefCell::new(HashMap::new()),
        }
    }

    /// The addresses where `rule` asks for a number at `number`'s target (with
    /// [`Self::refused_box`], the set `evaluation::address_miss` accepts), computed once per
    /// distinct question.
    fn meeting(&self, rule: AddressRule, number: NumberRef<'_>) -> Rc<BTreeSet<usize>> {
        let country = number.target.country;
        let area = number.target.area;
        let prefix = area.map(|a| a.prefix.as_str()).unwrap_or("");
        if let Some(found) = self
            .meeting
            .borrow()
            .get(&(rule, country))
            .and_then(|m| m.get(prefix))
        {
            return found.clone();
        }
        let all = || (0..self.addresses.len()).collect::<BTreeSet<_>>();
        let set: BTreeSet<usize> = match rule {
            AddressRule::None | AddressRule::Any => all(),
            AddressRule::InCountry => self
                .by_country
                .get(&country)
                .into_iter()
                .flatten()
                .copied()
                .collect(),
            AddressRule::Foreign => all()
                .into_iter()
                .filter(|&i| self.addresses[i].country != country)
                .collect(),
            AddressRule::LocalArea => match area {
                // A local rule without a known area can be met by no address.
                None => BTreeSet::new(),
                Some(area) => accepted_names(area)
                    .into_iter()
                    .filter_map(|name| self.by_city.get(&(country, name)))
                    .flatten()
                    .copied()
                    .collect(),
            },
        };
        let set = std::rc::Rc::new(set);
        self.meeting
            .borrow_mut()
            .entry((rule, country))
            .or_default()
            .insert(prefix.to_string(), set.clone());
        set
    }

    /// Whether `regulation` refuses the address at `index` for being a PO box.
    fn refused_box(&self, regulation: &Regulation, index: usize) -> bool {
        regulation.no_po_box && self.po_box[index]
    }

    /// What `number`'s drop-downs offer, with `chosen` the document selected in the form.
    pub fn eligible(&self, number: NumberRef<'_>, chosen: Option<IdentitySid>) -> Eligible {
        // The rules of this number's documents are few: fetch each rule's address set once.
        let mut sets: Vec<(AddressRule, Rc<BTreeSet<usize>>)> = Vec::new();
        let mut set_for = |rule: AddressRule| {
            if let Some((_, set)) = sets.iter().find(|(r, _)| *r == rule) {
                return set.clone();
            }
            let set = self.meeting(rule, number);
            sets.push((rule, set.clone()));
            set
        };
        let documents = self
            .standing
            .get(&(number.target.country, number.number_type))
            .into_iter()
            .flatten()
            .filter(|(i, regulation)| {
                // The document's own address must meet its rule at this number (or need none).
                !regulation.address.requires_address()
                    || self.own_address[*i].is_some_and(|a| {
                        set_for(regulation.address).contains(&a) && !self.refused_box(regulation, a)
                    })
            })
            .map(|(i, _)| self.documents[*i].sid)
            .collect();
        let chosen_doc = chosen
            .and_then(|sid| self.by_sid.get(&sid))
            .map(|&i| &self.documents[i]);
        let regulations = offered(self.catalog, number);
        // The same rules `mapping_options` applies: the chosen document's regulation, or else
        // those that need no document, or else (for the list only) every offered regulation.
        let (rules, binding): (Vec<&Regulation>, Option<&IdentityDocument>) = match chosen_doc {
            Some(doc) => match self.catalog.get(&doc.regulation) {
                Some(regulation) => (vec![regulation], Some(doc)),
                None => (regulations, None),
            },
            None => {
                let free: Vec<&Regulation> = regulations
                    .iter()
                    .copied()
                    .filter(|r| !r.identity_required)
                    .collect();
                if free.is_empty() {
                    (regulations, None)
                } else {
                    (free, None)
                }
            }
        };
        // No regulation at all (a kind of number that is not sold): no rule excludes an address.
        if rules.is_empty() {
            return Eligible {
                documents,
                addresses: self.addresses.iter().map(|a| a.sid).collect(),
            };
        }
        let mut fitting = BTreeSet::new();
        for regulation in rules {
            let meets = self.meeting(regulation.address, number);
            let bound = binding
                .filter(|_| binds_address(regulation))
                .and_then(|d| d.address_sid)
                .and_then(|s| self.address_at.get(&s).copied());
            let meets = meets
                .iter()
                .copied()
                .filter(|&i| !self.refused_box(regulation, i));
            match bound {
                Some(own) => fitting.extend(meets.filter(|&i| i == own)),
                None => fitting.extend(meets),
            }
        }
        Eligible {
            documents,
            addresses: fitting.into_iter().map(|i| self.addresses[i].sid).collect(),
        }
    }
}
