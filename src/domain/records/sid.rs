//! Twilio-style identifiers: a two-letter prefix naming the kind of record, then 32 lowercase hex
//! digits. Each kind is its own type, so an address SID can never be passed where a document SID
//! is expected, and a string only becomes a SID by being parsed.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A kind of record that has SIDs, named by its two-letter prefix.
pub trait SidKind: 'static {
    /// The two uppercase letters every SID of this kind starts with.
    const PREFIX: &'static str;
    /// What a person calls a record of this kind, for error messages.
    const NAME: &'static str;
}

macro_rules! sid_kind {
    ($kind:ident, $alias:ident, $prefix:literal, $name:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $kind {}
        impl SidKind for $kind {
            const PREFIX: &'static str = $prefix;
            const NAME: &'static str = $name;
        }
        #[doc = concat!("The SID of ", $name, " (`", $prefix, "…`).")]
        pub type $alias = Sid<$kind>;
    };
}

sid_kind!(
    IdentityKind,
    IdentitySid,
    "RI",
    "an identity document",
    "Identity documents (`RI`)."
);
sid_kind!(
    EntityKind,
    EntitySid,
    "IT",
    "an entity",
    "Entities, the individuals and businesses behind documents (`IT`, Twilio's End-Users)."
);
sid_kind!(
    AddressKind,
    AddressSid,
    "AD",
    "an address",
    "Addresses (`AD`)."
);
sid_kind!(
    NumberKind,
    NumberSid,
    "PN",
    "a phone number",
    "Phone numbers (`PN`)."
);
sid_kind!(
    RegulationKind,
    RegulationSid,
    "RN",
    "a regulation",
    "Regulations (`RN`)."
);
sid_kind!(
    EventKind,
    EventSid,
    "EV",
    "an activity event",
    "Activity-log events (`EV`)."
);

/// A validated SID of kind `K`: 16 bytes, shown as the prefix and 32 lowercase hex digits.
pub struct Sid<K: SidKind> {
    bytes: [u8; 16],
    kind: PhantomData<K>,
}

// Manual impls: derives would wrongly require `K` itself to implement each trait.
impl<K: SidKind> Clone for Sid<K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: SidKind> Copy for Sid<K> {}
impl<K: SidKind> PartialEq for Sid<K> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes == other.bytes
    }
}
impl<K: SidKind> Eq for Sid<K> {}
impl<K: SidKind> PartialOrd for Sid<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<K: SidKind> Ord for Sid<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bytes.cmp(&other.bytes)
    }
}
impl<K: SidKind> std::hash::Hash for Sid<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bytes.hash(state);
    }
}

impl<K: SidKind> Sid<K> {
    /// The SID made of these 16 bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Self {
        Self {
            bytes,
            kind: PhantomData,
        }
    }

    /// The SID's 16 bytes, whose order is the SID's order: the one sort key of every kind of SID
    /// (see `ordering`).
    pub const fn bytes(&self) -> [u8; 16] {
        self.bytes
    }

    /// A stable 64-bit number from the SID, to seed per-record simulations (a review's delay).
    pub fn seed(&self) -> u64 {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(&self.bytes[..8]);
        u64::from_le_bytes(eight)
    }

    /// A fresh SID from a source of random bytes.
    pub fn generate(source: &mut impl RandomSource) -> Self {
        let mut bytes = [0u8; 16];
        source.fill(&mut bytes);
        Self::from_bytes(bytes)
    }

    /// A SID derived from a stable name, for records that must keep the same SID on every machine
    /// (the regulations compiled into the app, a review decision's log entries).
    pub fn derived(name: &str) -> Self {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(format!("{}:{name}", K::PREFIX).as_bytes());
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self::from_bytes(bytes)
    }
}

impl<K: SidKind> fmt::Display for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(K::PREFIX)?;
        for b in self.bytes {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl<K: SidKind> fmt::Debug for Sid<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Why a string is not a SID of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SidError {
    /// The string does not start with the kind's prefix.
    WrongPrefix {
        expected: &'static str,
        found: String,
    },
    /// After the prefix there are not exactly 32 characters.
    WrongLength { found: usize },
    /// A character after the prefix is not a lowercase hex digit.
    NotHex { position: usize, found: char },
}

impl fmt::Display for SidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SidError::WrongPrefix { expected, found } => {
                write!(
                    f,
                    "a SID of this kind starts with {expected}, not \"{found}\""
                )
            }
            SidError::WrongLength { found } => {
                write!(
                    f,
                    "a SID has 32 hex digits after its prefix, this one has {found}"
                )
            }
            SidError::NotHex { position, found } => write!(
                f,
                "character {position} ('{found}') is not a lowercase hex digit (0-9, a-f)"
            ),
        }
    }
}

impl std::error::Error for SidError {}

impl<K: SidKind> FromStr for Sid<K> {
    type Err = SidError;

    fn from_str(s: &str) -> Result<Self, SidError> {
        let Some(rest) = s.strip_prefix(K::PREFIX) else {
            return Err(SidError::WrongPrefix {
                expected: K::PREFIX,
                found: s.chars().take(2).collect(),
            });
        };
        let count = rest.chars().count();
        if count != 32 {
            return Err(SidError::WrongLength { found: count });
        }
        let mut bytes = [0u8; 16];
        let digits: Vec<char> = rest.chars().collect();
        for (i, pair) in digits.chunks(2).enumerate() {
            let mut byte = 0u8;
            for (j, &c) in pair.iter().enumerate() {
                let v = match c {
                    '0'..='9' => c as u8 - b'0',
                    'a'..='f' => c as u8 - b'a' + 10,
                    _ => {
                        return Err(SidError::NotHex {
                            position: 2 + i * 2 + j + 1,
                            found: c,
                        });
                    }
                };
                byte = byte << 4 | v;
            }
            bytes[i] = byte;
        }
        Ok(Self::from_bytes(bytes))
    }
}

impl<K: SidKind> Serialize for Sid<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de, K: SidKind> Deserialize<'de> for Sid<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where fresh SIDs get their randomness: the browser's crypto in the app, a seed in tests.
pub trait RandomSource {
    /// Fills `bytes` with random bytes.
    fn fill(&mut self, bytes: &mut [u8]);
}

/// A small seedable generator (SplitMix64) so tests and the demo inventory are reproducible.
#[derive(Debug, Clone)]
pub struct SeededRandom(u64);

impl SeededRandom {
    /// A generator that always yields the same sequence for the same seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, bytes: &mut [u8]) {
        for chunk in bytes.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        let sid = IdentitySid::generate(&mut SeededRandom::new(7));
        let text = sid.to_string();
        assert!(text.starts_with("RI"));
        assert_eq!(text.len(), 34);
        assert_eq!(text.parse::<IdentitySid>().unwrap(), sid);
    }

    #[test]
    fn rejects_each_malformation() {
        let ok = "AD0123456789abcdef0123456789abcdef";
        assert!(ok.parse::<AddressSid>().is_ok());
        assert!(matches!(
            ok.parse::<IdentitySid>(),
            Err(SidError::WrongPrefix { .. })
        ));
        assert_eq!(
            "AD0123".parse::<AddressSid>(),
            Err(SidError::WrongLength { found: 4 })
        );
        assert_eq!(
            "AD0123456789ABCDEF0123456789abcdef".parse::<AddressSid>(),
            Err(SidError::NotHex {
                position: 13,
                found: 'A'
            })
        );
        assert!("".parse::<AddressSid>().is_err());
    }

    #[test]
    fn same_seed_same_sids_and_derived_sids_are_stable() {
        let a = NumberSid::generate(&mut SeededRandom::new(1));
        let b = NumberSid::generate(&mut SeededRandom::new(1));
        assert_eq!(a, b);
        assert_eq!(
            RegulationSid::derived("DE-local-business"),
            RegulationSid::derived("DE-local-business")
        );
        assert_ne!(
            RegulationSid::derived("DE-local-business"),
            RegulationSid::derived("DE-local-individual")
        );
    }

    #[test]
    fn serde_uses_the_text_form() {
        let sid: EventSid = "EVffffffffffffffffffffffffffffffff".parse().unwrap();
        let json = serde_json::to_string(&sid).unwrap();
        assert_eq!(json, "\"EVffffffffffffffffffffffffffffffff\"");
        assert!(
            serde_json::from_str::<EventSid>("\"PNffffffffffffffffffffffffffffffff\"").is_err()
        );
    }
}
