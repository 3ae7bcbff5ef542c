//! Calendar arithmetic on top of `jiff`: Easter, ISO weeks, month shifts, the nearest
//! occurrence of a weekday, month or feast in a given direction, and TIMEX3 formatting.

use jiff::civil::Date;

/// Which occurrence of a recurring date an expression means, seen from the anchor day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dir {
    /// The most recent occurrence on or before the anchor ("said on Tuesday").
    OnOrBefore,
    /// The next occurrence on or after the anchor ("will meet on Friday").
    OnOrAfter,
    /// Strictly before ("last Monday").
    Before,
    /// Strictly after ("next Monday").
    After,
    /// Whichever is closest ("Christmas" with no tense to go by).
    Nearest,
}

/// The date of Western (Gregorian) Easter Sunday in `year`, by the anonymous Gregorian
/// computus (Meeus/Jones/Butcher). `None` before 1583 or past 9999.
pub fn western_easter(year: i16) -> Option<Date> {
    if !(1583..=9999).contains(&year) {
        return None;
    }
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    Date::new(year, (n / 31) as i8, (n % 31 + 1) as i8).ok()
}

/// The Gregorian date of Orthodox Easter Sunday in `year`: the Julian computus, shifted
/// by the 13 days between the calendars. Only valid, and only answered, for 1900–2099.
pub fn orthodox_easter(year: i16) -> Option<Date> {
    if !(1900..=2099).contains(&year) {
        return None;
    }
    let y = i32::from(year);
    let a = y % 4;
    let b = y % 7;
    let c = y % 19;
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let n = d + e + 114;
    let julian = Date::new(year, (n / 31) as i8, (n % 31 + 1) as i8).ok()?;
    add_days(julian, 13)
}

/// `date` moved by `n` days, `None` when out of range.
pub(crate) fn add_days(date: Date, n: i64) -> Option<Date> {
    let span = jiff::Span::new().try_days(n).ok()?;
    date.checked_add(span).ok()
}

/// Year and month moved by `delta` months.
pub(crate) fn shift_month(year: i16, month: i8, delta: i64) -> Option<(i16, i8)> {
    let idx = i64::from(year) * 12 + i64::from(month) - 1 + delta;
    let y = idx.div_euclid(12);
    let m = idx.rem_euclid(12) + 1;
    let y = i16::try_from(y).ok().filter(|y| (0..=9999).contains(y))?;
    Some((y, m as i8))
}

/// `YYYY-MM-DD`.
pub(crate) fn fmt_day(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `YYYY-MM`.
pub(crate) fn fmt_month(y: i16, m: i8) -> String {
    format!("{y:04}-{m:02}")
}

/// The ISO week of a day, `YYYY-Www`.
pub(crate) fn fmt_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// Weekday number of a day, 1 = Monday … 7 = Sunday.
pub(crate) fn weekday_num(d: Date) -> i64 {
    i64::from(d.weekday().to_monday_one_offset())
}

/// The day with weekday `wd` (1 = Monday) nearest to `anchor` in direction `dir`.
pub(crate) fn weekday_in(anchor: Date, wd: u8, dir: Dir) -> Option<Date> {
    let cur = weekday_num(anchor);
    let back = (cur - i64::from(wd)).rem_euclid(7); // days back to the previous-or-same
    let fwd = (i64::from(wd) - cur).rem_euclid(7); // days forward to the next-or-same
    let delta = match dir {
        Dir::OnOrBefore => -back,
        Dir::OnOrAfter => fwd,
        Dir::Before => -(if back == 0 { 7 } else { back }),
        Dir::After => {
            if fwd == 0 {
                7
            } else {
                fwd
            }
        }
        Dir::Nearest => {
            if back <= fwd {
                -back
            } else {
                fwd
            }
        }
    };
    add_days(anchor, delta)
}

/// The year in which month `m` falls when seen from `anchor` in direction `dir`.
pub(crate) fn year_of_month(anchor: Date, m: i8, dir: Dir) -> i16 {
    let (y, cur) = (anchor.year(), anchor.month());
    match dir {
        Dir::OnOrBefore => {
            if m <= cur {
                y
            } else {
                y - 1
            }
        }
        Dir::OnOrAfter => {
            if m >= cur {
                y
            } else {
                y + 1
            }
        }
        Dir::Before => {
            if m < cur {
                y
            } else {
                y - 1
            }
        }
        Dir::After => {
            if m > cur {
                y
            } else {
                y + 1
            }
        }
        Dir::Nearest => {
            let diff = i32::from(m) - i32::from(cur);
            if diff > 6 {
                y - 1
            } else if diff < -6 {
                y + 1
            } else {
                y
            }
        }
    }
}

/// The occurrence of a yearly date (`f(year)`) nearest to `anchor` in direction `dir`.
pub(crate) fn yearly_in(anchor: Date, dir: Dir, f: impl Fn(i16) -> Option<Date>) -> Option<Date> {
    let y = anchor.year();
    let cands: Vec<Date> = [y - 1, y, y + 1].into_iter().filter_map(&f).collect();
    match dir {
        Dir::OnOrBefore => cands.into_iter().filter(|d| *d <= anchor).max(),
        Dir::Before => cands.into_iter().filter(|d| *d < anchor).max(),
        Dir::OnOrAfter => cands.into_iter().filter(|d| *d >= anchor).min(),
        Dir::After => cands.into_iter().filter(|d| *d > anchor).min(),
        Dir::Nearest => cands.into_iter().min_by_key(|d| {
            let secs = anchor.duration_until(*d).as_secs().unsigned_abs();
            (secs, u32::from(*d > anchor))
        }),
    }
}

/// Season index (0 spring … 3 winter) of a month, northern hemisphere.
pub(crate) fn season_of_month(m: i8) -> u8 {
    match m {
        3..=5 => 0,
        6..=8 => 1,
        9..=11 => 2,
        _ => 3,
    }
}

/// TIMEX3 season code.
pub(crate) fn season_code(s: u8) -> &'static str {
    match s {
        0 => "SP",
        1 => "SU",
        2 => "FA",
        _ => "WI",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_known_years() {
        assert_eq!(western_easter(2024), Some(date(2024, 3, 31)));
        assert_eq!(orthodox_easter(2024), Some(date(2024, 5, 5)));
        assert_eq!(western_easter(2025), Some(date(2025, 4, 20)));
        assert_eq!(orthodox_easter(2025), Some(date(2025, 4, 20)));
        assert_eq!(western_easter(2026), Some(date(2026, 4, 5)));
        assert_eq!(orthodox_easter(2026), Some(date(2026, 4, 12)));
        assert_eq!(western_easter(2013), Some(date(2013, 3, 31)));
        assert_eq!(orthodox_easter(2013), Some(date(2013, 5, 5)));
        assert_eq!(western_easter(2000), Some(date(2000, 4, 23)));
        assert_eq!(orthodox_easter(2000), Some(date(2000, 4, 30)));
        assert_eq!(orthodox_easter(1800), None);
        assert_eq!(western_easter(1000), None);
    }

    #[test]
    fn weekday_directions() {
        let wed = date(2025, 4, 23);
        assert_eq!(weekday_in(wed, 2, Dir::OnOrBefore), Some(date(2025, 4, 22)));
        assert_eq!(weekday_in(wed, 3, Dir::OnOrBefore), Some(wed));
        assert_eq!(weekday_in(wed, 5, Dir::OnOrAfter), Some(date(2025, 4, 25)));
        assert_eq!(weekday_in(wed, 1, Dir::After), Some(date(2025, 4, 28)));
        assert_eq!(weekday_in(wed, 3, Dir::Before), Some(date(2025, 4, 16)));
        assert_eq!(fmt_week(wed), "2025-W17");
    }

    #[test]
    fn months() {
        assert_eq!(shift_month(2025, 1, -1), Some((2024, 12)));
        assert_eq!(shift_month(2025, 4, 14), Some((2026, 6)));
        let d = date(2013, 3, 22);
        assert_eq!(year_of_month(d, 8, Dir::OnOrBefore), 2012);
        assert_eq!(year_of_month(d, 5, Dir::Nearest), 2013);
        assert_eq!(year_of_month(d, 5, Dir::Before), 2012);
    }
}
