//! Publication dates in whatever shape the web writes them, normalised to ISO 8601.
//!
//! Accepted: ISO 8601 / RFC 3339 (`2025-04-23`, `2025-04-23T09:30:00Z`,
//! `2025-04-23 09:30:00+02:00`, fractional seconds), RFC 2822 (`Wed, 23 Apr 2025
//! 09:30:00 GMT`, the RSS `pubDate`), and a few human forms (`2025/04/23`,
//! `April 23, 2025`, `23 April 2025`). Output keeps the precision of the input: a day
//! stays `YYYY-MM-DD`; a timestamp keeps its time to the second and its offset (`Z` for
//! UTC, `+02:00` otherwise; none when the input had none).
use jiff::civil::{Date, Time};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// Normalises a publication date to ISO 8601, or `None` when it is not a date.
///
/// Years outside 1000–9999 are rejected as implausible for news.
pub fn normalize_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > 100 {
        return None;
    }
    if let Ok(pieces) = Pieces::parse(s) {
        return from_pieces(&pieces);
    }
    // `2025-04-23T09:30:00+0000`: an offset without a colon, common in feeds.
    if let Some(fixed) = colon_offset(s) {
        if let Ok(pieces) = Pieces::parse(fixed.as_str()) {
            return from_pieces(&pieces);
        }
    }
    if let Ok(zdt) = jiff::fmt::rfc2822::parse(s) {
        let dt = zdt.datetime();
        return format_timestamp(dt.date(), dt.time(), Some(zdt.offset()));
    }
    human_date(s).and_then(format_date)
}

fn from_pieces(p: &Pieces<'_>) -> Option<String> {
    let date = p.date();
    match p.time() {
        None => format_date(date),
        Some(time) => {
            let offset = p.offset().map(|o| match o {
                PiecesOffset::Zulu => Offset::UTC,
                other => other.to_numeric_offset(),
            });
            format_timestamp(date, time, offset)
        }
    }
}

fn format_date(date: Date) -> Option<String> {
    if !(1000..=9999).contains(&date.year()) {
        return None;
    }
    Some(format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        date.month(),
        date.day()
    ))
}

fn format_timestamp(date: Date, time: Time, offset: Option<Offset>) -> Option<String> {
    let mut out = format_date(date)?;
    out.push_str(&format!(
        "T{:02}:{:02}:{:02}",
        time.hour(),
        time.minute(),
        time.second()
    ));
    if let Some(offset) = offset {
        let secs = offset.seconds();
        if secs == 0 {
            out.push('Z');
        } else {
            let sign = if secs < 0 { '-' } else { '+' };
            let abs = secs.unsigned_abs();
            out.push_str(&format!("{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60));
        }
    }
    Some(out)
}

/// Inserts the colon into a trailing `+HHMM`/`-HHMM` offset of an ISO timestamp.
fn colon_offset(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    if bytes.len() < 16 || !s.contains('T') && !s.contains(' ') {
        return None;
    }
    let tail = &bytes[bytes.len() - 5..];
    if (tail[0] == b'+' || tail[0] == b'-') && tail[1..].iter().all(u8::is_ascii_digit) {
        let cut = s.len() - 2;
        return Some(format!("{}:{}", &s[..cut], &s[cut..]));
    }
    None
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(word: &str) -> Option<i8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    let idx = MONTHS.iter().position(|m| w.starts_with(m))?;
    // Accept "sept" and full names, reject e.g. "marble".
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if FULL[idx].starts_with(w.as_str()) || (idx == 8 && w == "sept") {
        i8::try_from(idx + 1).ok()
    } else {
        None
    }
}

/// `2025/04/23`, `April 23, 2025`, `Apr. 23 2025`, `23 April 2025`, optionally preceded
/// by a weekday (`Wednesday, 23 April 2025`).
fn human_date(s: &str) -> Option<Date> {
    let parts: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() == 1 {
        let nums: Vec<&str> = s.split('/').collect();
        if nums.len() == 3 && nums[0].len() == 4 {
            let y: i16 = nums[0].parse().ok()?;
            let m: i8 = nums[1].parse().ok()?;
            let d: i8 = nums[2].parse().ok()?;
            return Date::new(y, m, d).ok();
        }
        return None;
    }
    // Drop a leading weekday.
    let parts: &[&str] = if parts.len() == 4 && month_number(parts[0]).is_none() {
        &parts[1..]
    } else {
        &parts[..]
    };
    if parts.len() != 3 {
        return None;
    }
    let day_of = |p: &str| -> Option<i8> {
        let digits = p.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if digits.is_empty() || digits.len() > 2 {
            return None;
        }
        digits.parse().ok()
    };
    let year: i16 = parts[2].parse().ok()?;
    if let Some(m) = month_number(parts[0]) {
        return Date::new(year, m, day_of(parts[1])?).ok();
    }
    if let Some(m) = month_number(parts[1]) {
        return Date::new(year, m, day_of(parts[0])?).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::normalize_date as n;

    #[test]
    fn iso_days_stay_days() {
        assert_eq!(n("2025-04-23").as_deref(), Some("2025-04-23"));
        assert_eq!(n(" 2025-04-23 ").as_deref(), Some("2025-04-23"));
        assert_eq!(n("2025-02-30"), None);
    }

    #[test]
    fn timestamps_keep_time_and_offset() {
        assert_eq!(
            n("2025-04-23T09:30:00Z").as_deref(),
            Some("2025-04-23T09:30:00Z")
        );
        assert_eq!(
            n("2025-04-23T09:30:00.123+02:00").as_deref(),
            Some("2025-04-23T09:30:00+02:00")
        );
        assert_eq!(
            n("2025-04-23T09:30:00+0000").as_deref(),
            Some("2025-04-23T09:30:00Z")
        );
        assert_eq!(
            n("2025-04-23T09:30:00-0430").as_deref(),
            Some("2025-04-23T09:30:00-04:30")
        );
        assert_eq!(
            n("2025-04-23T09:30").as_deref(),
            Some("2025-04-23T09:30:00")
        );
        assert_eq!(
            n("2025-04-23 09:30:00+01:00").as_deref(),
            Some("2025-04-23T09:30:00+01:00")
        );
    }

    #[test]
    fn rfc2822_from_feeds() {
        assert_eq!(
            n("Wed, 23 Apr 2025 09:30:00 GMT").as_deref(),
            Some("2025-04-23T09:30:00Z")
        );
        assert_eq!(
            n("Wed, 23 Apr 2025 09:30:00 +0300").as_deref(),
            Some("2025-04-23T09:30:00+03:00")
        );
    }

    #[test]
    fn human_forms() {
        assert_eq!(n("2025/04/23").as_deref(), Some("2025-04-23"));
        assert_eq!(n("April 23, 2025").as_deref(), Some("2025-04-23"));
        assert_eq!(n("Apr. 23 2025").as_deref(), Some("2025-04-23"));
        assert_eq!(n("23 April 2025").as_deref(), Some("2025-04-23"));
        assert_eq!(
            n("Wednesday, 23rd April 2025").as_deref(),
            Some("2025-04-23")
        );
        assert_eq!(n("23 Sept 2025").as_deref(), Some("2025-09-23"));
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "yesterday",
            "2025",
            "23 Marble 2025",
            "0000-01-01",
            "99999-01-01",
            "+0000",
            "\u{0}",
            "ää-ää-ää",
        ] {
            assert_eq!(n(s), None, "{s:?}");
        }
    }
}
