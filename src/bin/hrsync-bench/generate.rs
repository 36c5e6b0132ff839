//! Deterministic synthetic HR data for the benchmarks: employees with a realistic mix of
//! statuses (started, future starters, future leavers, past leavers, out-of-scope
//! contractors), eight time zones, names with and without diacritics and a management tree.
//! Pure: the same seed always yields the same CSV. It never touches Okta or the disk.

use chrono::{Duration, NaiveDate};
use std::fmt::Write;

/// The CSV header the benchmark config reads.
pub const HEADER: &str = "id,first_name,last_name,email,title,department,manager_id,status,start_date,termination_date,site_timezone\n";

const FIRST: [(&str, &str); 12] = [
    ("Ada", "ada"),
    ("Zoë", "zoe"),
    ("José", "jose"),
    ("Łukasz", "lukasz"),
    ("Søren", "soren"),
    ("Grace", "grace"),
    ("Hedy", "hedy"),
    ("Alan", "alan"),
    ("Priya", "priya"),
    ("Chidi", "chidi"),
    ("Mei", "mei"),
    ("Björn", "bjorn"),
];
const LAST: [(&str, &str); 12] = [
    ("Lovelace", "lovelace"),
    ("Ångström", "angstrom"),
    ("Núñez", "nunez"),
    ("Wójcik", "wojcik"),
    ("Kierkegård", "kierkegard"),
    ("Hopper", "hopper"),
    ("Lamarr", "lamarr"),
    ("Turing", "turing"),
    ("Raman", "raman"),
    ("Okonkwo", "okonkwo"),
    ("Zhang", "zhang"),
    ("Müller", "muller"),
];
const DEPTS: [&str; 6] = [
    "Engineering",
    "Sales",
    "Finance",
    "People",
    "Support",
    "Marketing",
];
const TITLES: [&str; 6] = [
    "Engineer",
    "Account Executive",
    "Analyst",
    "Partner",
    "Specialist",
    "Manager",
];
const ZONES: [&str; 8] = [
    "Europe/London",
    "Europe/Paris",
    "Europe/Stockholm",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Pacific/Auckland",
];

/// Where an employee stands on the benchmark's reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Started in the past, no termination: an ACTIVE Okta user.
    Started,
    /// Start date 1–60 days ahead: a STAGED Okta user.
    FutureStarter,
    /// Termination date 1–30 days ahead: still an ACTIVE Okta user.
    FutureLeaver,
    /// Terminated in the past: a DEPROVISIONED Okta user (or none).
    PastLeaver,
    /// Department `Contractors`, outside the sync scope: no Okta user.
    Contractor,
}

impl Kind {
    /// True when the employee should have a user in Okta that is not DEPROVISIONED.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            Self::Started | Self::FutureStarter | Self::FutureLeaver
        )
    }
}

/// One synthetic HR record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Employee id (digits).
    pub id: u64,
    /// Given name.
    pub first: &'static str,
    /// Family name.
    pub last: &'static str,
    /// Work email (unique).
    pub email: String,
    /// Job title.
    pub title: String,
    /// Department.
    pub department: String,
    /// The manager's employee id, if any.
    pub manager: Option<u64>,
    /// HR status text (`Active` or `Terminated`).
    pub status: &'static str,
    /// Start date.
    pub start: NaiveDate,
    /// Termination date, if any.
    pub termination: Option<NaiveDate>,
    /// IANA time zone of the site.
    pub zone: &'static str,
    /// What the record means on the reference date.
    pub kind: Kind,
}

/// SplitMix64: a tiny, fixed, well-distributed generator (stable across crate versions, which
/// `rand`'s `StdRng` does not promise).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
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

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// An element of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[i.min(items.len().saturating_sub(1))]
    }
}

/// The first employee id; ids are consecutive from here.
pub const FIRST_ID: u64 = 100_000;

/// `n` employees as of `today`, from `seed`. Mix: 88 % started, 4 % future starters, 2 %
/// future leavers, 5 % past leavers, 1 % contractors. Managers form an 8-wide tree.
pub fn people(n: usize, seed: u64, today: NaiveDate) -> Vec<Person> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| person(&mut rng, i as u64, today)).collect()
}

/// One employee with index `i` (its id is `FIRST_ID + i`).
pub fn person(rng: &mut Rng, i: u64, today: NaiveDate) -> Person {
    let roll = rng.below(100);
    let kind = match roll {
        0..88 => Kind::Started,
        88..92 => Kind::FutureStarter,
        92..94 => Kind::FutureLeaver,
        94..99 => Kind::PastLeaver,
        _ => Kind::Contractor,
    };
    let days = |rng: &mut Rng, lo: u64, hi: u64| {
        Duration::days(i64::try_from(lo + rng.below(hi - lo + 1)).unwrap_or(0))
    };
    let (status, start, termination) = match kind {
        Kind::Started | Kind::Contractor => ("Active", today - days(rng, 1, 3650), None),
        Kind::FutureStarter => ("Active", today + days(rng, 1, 60), None),
        Kind::FutureLeaver => (
            "Active",
            today - days(rng, 100, 3650),
            Some(today + days(rng, 1, 30)),
        ),
        Kind::PastLeaver => {
            let end = today - days(rng, 1, 700);
            ("Terminated", end - days(rng, 30, 2000), Some(end))
        }
    };
    let (first, first_ascii) = rng.pick(&FIRST);
    let (last, last_ascii) = rng.pick(&LAST);
    let id = FIRST_ID + i;
    let department = if kind == Kind::Contractor {
        "Contractors".to_owned()
    } else {
        rng.pick(&DEPTS).to_owned()
    };
    Person {
        id,
        first,
        last,
        email: format!("{first_ascii}.{last_ascii}.{id}@example.com"),
        title: rng.pick(&TITLES).to_owned(),
        department,
        manager: (i > 0).then(|| FIRST_ID + (i - 1) / 8),
        status,
        start,
        termination,
        zone: rng.pick(&ZONES),
        kind,
    }
}

/// The HR export of `people` as CSV.
pub fn csv(people: &[Person]) -> String {
    let mut out = String::with_capacity(HEADER.len() + people.len() * 160);
    out.push_str(HEADER);
    for p in people {
        let manager = p.manager.map(|m| m.to_string()).unwrap_or_default();
        let end = p.termination.map(|d| d.to_string()).unwrap_or_default();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{}",
            p.id,
            p.first,
            p.last,
            p.email,
            p.title,
            p.department,
            manager,
            p.status,
            p.start,
            end,
            p.zone
        );
    }
    out
}

#[cfg(test)]
mod tests;
