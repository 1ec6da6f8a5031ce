//! How counts are written for people: thousands grouped (`10,000 numbers`) and the singular for
//! one (`1 number`). Pages, export summaries and activity entries all write counts, so they use
//! these two functions rather than each its own `format!`. And a line's first capital.

/// `n` with its thousands grouped by commas, as the console's English text writes numbers.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` things: `1 number`, `10,000 numbers`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", grouped(n), if n == 1 { one } else { many })
}

/// `text` with its first letter upper-case: a message or a field name at the start of a line.
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_starts_with_a_capital() {
        assert_eq!(capitalized("street secondary"), "Street secondary");
        assert_eq!(capitalized("über"), "Über");
        assert_eq!(capitalized(""), "");
    }

    #[test]
    fn counts_read_as_written() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(plural(1, "number", "numbers"), "1 number");
        assert_eq!(plural(0, "number", "numbers"), "0 numbers");
        assert_eq!(plural(10_000, "entry", "entries"), "10,000 entries");
    }
}
