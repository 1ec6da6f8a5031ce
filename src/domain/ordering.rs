//! Sorting records by a key, with one compiled sort per kind of key.
//!
//! Why not `sort_by_key` at every call site: each call compiles its own copy of the standard
//! library's sort for its element type and closure, 2–4 KB of wasm each, and there were 17 of
//! them. Here only (key, position) pairs are sorted, so there is one copy per key type (the bytes
//! of a SID, an instant, a text) however many record types use it; moving the records into that
//! order is a small loop.

/// Reorders `items` by `key`, stably: records with equal keys keep their order.
pub fn sort_by<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    // Positions are unique, so an unstable sort of the pairs is a stable sort of the records.
    let mut order: Vec<(K, u32)> = items
        .iter()
        .enumerate()
        .map(|(i, item)| (key(item), i as u32))
        .collect();
    order.sort_unstable();
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|(_, i)| slots[i as usize].take()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_by_the_key() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by(&mut items, |&(k, _)| k);
        assert_eq!(items, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, |&b| b);
        assert!(empty.is_empty());
    }
}
