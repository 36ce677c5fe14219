//! Support: tickets created, first-contact resolution, response and resolution times.

use super::{covered, median, no_data, pct, Ctx, Val};
use crate::model::{Kind, Ticket};

fn hours(from: chrono::NaiveDateTime, to: chrono::NaiveDateTime) -> f64 {
    (to - from).num_seconds() as f64 / 3600.0
}

/// Resolved at first contact: `first_contact_resolution` true when the export has that
/// column (`fcr_mapped`), else `contacts` ≤ 1 — decided once for the dataset, as kpis.md says.
fn first_contact(t: &Ticket, fcr_mapped: bool) -> bool {
    if fcr_mapped {
        t.first_contact_resolution == Some(true)
    } else {
        t.contacts.is_some_and(|n| n <= 1)
    }
}

pub(super) fn all(c: &Ctx, push: &mut impl FnMut(&str, Val)) {
    let m = c.month;
    let cov = covered(c.data, Kind::Tickets, m);
    let guard = |v: Val| -> Val { cov.clone().and(v) };
    let tickets = &c.data.tickets;
    let created = || tickets.iter().filter(|t| m.contains(t.created_at.date()));
    let resolved = || {
        tickets.iter().filter_map(|t| {
            t.resolved_at
                .filter(|r| m.contains(r.date()))
                .map(|r| (t, r))
        })
    };
    push("tickets_created", guard(Ok(created().count() as f64)));

    // a field no ticket has is not in the export: unknown, not zero
    let has = |f: fn(&Ticket) -> bool, needs: &'static str| -> Result<(), super::Miss> {
        if c.data.coverage.has_field(needs, || tickets.iter().any(f)) {
            Ok(())
        } else {
            Err(no_data(needs))
        }
    };
    let fcr_mapped = c
        .data
        .coverage
        .has_field("tickets.first_contact_resolution", || {
            tickets.iter().any(|t| t.first_contact_resolution.is_some())
        });
    let (mut first, mut known) = (0.0, 0.0);
    for (t, _) in resolved() {
        known += 1.0;
        if first_contact(t, fcr_mapped) {
            first += 1.0;
        }
    }
    push(
        "fcr",
        guard(
            has(
                |t| t.first_contact_resolution.is_some() || t.contacts.is_some(),
                "tickets.contacts",
            )
            .and(pct(first, known)),
        ),
    );

    let response: Vec<f64> = created()
        .filter_map(|t| {
            t.first_response_at
                .map(|r| hours(t.created_at, r))
                .or(t.first_response_minutes.map(|m| m / 60.0))
        })
        .collect();
    push(
        "first_response_hours",
        guard(
            has(
                |t| t.first_response_at.is_some() || t.first_response_minutes.is_some(),
                "tickets.first_response_at",
            )
            .and(median(response)),
        ),
    );

    let resolution: Vec<f64> = resolved().map(|(t, r)| hours(t.created_at, r)).collect();
    push(
        "resolution_hours",
        guard(has(|t| t.resolved_at.is_some(), "tickets.resolved_at").and(median(resolution))),
    );
}
