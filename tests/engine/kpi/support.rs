//! Support KPIs: tickets created, first-contact resolution, response and resolution times.

use crate::fixture::*;

#[test]
fn tickets_created_counts_tickets_created_in_m() {
    let data = Fx::new()
        .ticket("2026-02-28 23:59", |_| {})
        .ticket("2026-03-01 00:00", |_| {})
        .ticket("2026-03-31 23:59", |_| {})
        .ticket("2026-04-01 00:00", |_| {})
        .build();
    assert_ok(
        &kpis(&data, "2026-03"),
        "tickets_created",
        2.0,
        "first and last minute of March",
    );
}

#[test]
fn fcr_uses_the_fcr_column_when_present_else_contacts_at_most_one() {
    let data = Fx::new()
        // the FCR column wins over contacts
        .ticket("2026-03-01 09:00", |t| {
            t.resolved_at = Some(dt("2026-03-01 10:00"));
            t.first_contact_resolution = Some(true);
            t.contacts = Some(5);
        })
        .ticket("2026-03-02 09:00", |t| {
            t.resolved_at = Some(dt("2026-03-02 10:00"));
            t.first_contact_resolution = Some(false);
            t.contacts = Some(1);
        })
        // no FCR value: contacts ≤ 1
        .ticket("2026-03-03 09:00", |t| {
            t.resolved_at = Some(dt("2026-03-03 10:00"));
            t.contacts = Some(1);
        })
        .ticket("2026-03-04 09:00", |t| {
            t.resolved_at = Some(dt("2026-03-05 10:00"));
            t.contacts = Some(3);
        })
        // created in February, resolved in March: counts
        .ticket("2026-02-27 09:00", |t| {
            t.resolved_at = Some(dt("2026-03-01 08:00"));
            t.contacts = Some(0);
        })
        // resolved in April: does not count
        .ticket("2026-03-30 09:00", |t| {
            t.resolved_at = Some(dt("2026-04-01 08:00"));
            t.contacts = Some(1);
        })
        .build();
    // The FCR column is in the export, so it alone decides (kpis.md: "true if that column
    // is mapped, else contacts ≤ 1"): only #1 of the 5 resolved in March.
    assert_ok(
        &kpis(&data, "2026-03"),
        "fcr",
        20.0,
        "1 of 5 resolved at first contact by the FCR column",
    );
    // Without the column, contacts ≤ 1 decides: #2, #3, #5 of 5.
    let mut no_column = data.clone();
    for t in &mut no_column.tickets {
        t.first_contact_resolution = None;
    }
    assert_ok(
        &kpis(&no_column, "2026-03"),
        "fcr",
        60.0,
        "3 of 5 resolved with at most one contact",
    );
}

#[test]
fn first_response_hours_is_the_median_from_timestamps_or_minutes() {
    let data = Fx::new()
        .ticket("2026-03-01 08:00", |t| {
            t.first_response_at = Some(dt("2026-03-01 10:00"))
        }) // 2 h
        .ticket("2026-03-02 08:00", |t| {
            t.first_response_minutes = Some(30.0)
        }) // 0.5 h
        .ticket("2026-03-03 22:00", |t| {
            t.first_response_at = Some(dt("2026-03-04 03:00"))
        }) // 5 h
        .ticket("2026-03-04 08:00", |t| {
            t.first_response_minutes = Some(90.0)
        }) // 1.5 h
        // created in February: not in March's median
        .ticket("2026-02-20 08:00", |t| {
            t.first_response_minutes = Some(6000.0)
        })
        .build();
    // sorted 0.5, 1.5, 2, 5 → (1.5 + 2) / 2
    assert_ok(
        &kpis(&data, "2026-03"),
        "first_response_hours",
        1.75,
        "median of an even count is the mean of the middle two",
    );
}

#[test]
fn first_response_hours_with_an_odd_count_is_the_middle_value() {
    let data = Fx::new()
        .ticket("2026-03-01 08:00", |t| {
            t.first_response_minutes = Some(600.0)
        }) // 10 h
        .ticket("2026-03-02 08:00", |t| {
            t.first_response_minutes = Some(15.0)
        }) // 0.25 h
        .ticket("2026-03-02 09:00", |t| {
            t.first_response_at = Some(dt("2026-03-02 12:30"))
        }) // 3.5 h
        .build();
    assert_ok(
        &kpis(&data, "2026-03"),
        "first_response_hours",
        3.5,
        "middle of 0.25, 3.5, 10",
    );
}

#[test]
fn resolution_hours_is_the_median_over_tickets_resolved_in_m() {
    let data = Fx::new()
        .ticket("2026-03-02 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-02 12:00"))
        }) // 4
        .ticket("2026-03-03 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-04 08:00"))
        }) // 24
        .ticket("2026-02-28 22:00", |t| {
            t.resolved_at = Some(dt("2026-03-01 08:00"))
        }) // 10
        .ticket("2026-03-10 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-12 08:00"))
        }) // 48
        .ticket("2026-03-31 08:00", |t| {
            t.resolved_at = Some(dt("2026-04-01 08:00"))
        }) // April
        .ticket("2026-03-20 08:00", |_| {}) // unresolved
        .build();
    // sorted 4, 10, 24, 48 → (10 + 24) / 2
    assert_ok(
        &kpis(&data, "2026-03"),
        "resolution_hours",
        17.0,
        "median of 4 resolved in March",
    );
}

#[test]
fn ticket_kpis_are_undefined_when_no_ticket_is_resolved_or_answered_in_m() {
    // tickets cover Feb..Apr; March has one open ticket without a response
    let data = Fx::new()
        .ticket("2026-02-01 08:00", |t| {
            t.resolved_at = Some(dt("2026-02-01 09:00"));
            t.first_response_minutes = Some(10.0);
            t.contacts = Some(1);
        })
        .ticket("2026-03-05 08:00", |_| {})
        .ticket("2026-04-01 08:00", |_| {})
        .build();
    let r = kpis(&data, "2026-03");
    assert_ok(&r, "tickets_created", 1.0, "one ticket created in March");
    assert_undefined(&r, "fcr", "nothing resolved in March");
    assert_undefined(&r, "resolution_hours", "nothing resolved in March");
    assert_undefined(
        &r,
        "first_response_hours",
        "no March ticket has a response yet",
    );
}

#[test]
fn ticket_kpis_are_no_data_without_tickets_or_outside_coverage() {
    let none = Fx::new().nps(None, "2026-03-01", 9).build();
    let covered = Fx::new()
        .ticket("2026-01-05 08:00", |t| {
            t.resolved_at = Some(dt("2026-01-05 09:00"))
        })
        .build();
    for (data, month, why) in [
        (&none, "2026-03", "no tickets dataset"),
        (&covered, "2026-03", "March is after the last ticket"),
    ] {
        let r = kpis(data, month);
        for id in [
            "tickets_created",
            "fcr",
            "first_response_hours",
            "resolution_hours",
        ] {
            assert_no_data(&r, id, "tickets", why);
        }
    }
}

#[test]
fn first_response_hours_is_no_data_when_the_export_has_no_response_field() {
    // Neither first_response_at nor first_response_minutes exists in the whole dataset:
    // the input field is missing, which kpis.md calls no_data (not a division by zero).
    let data = Fx::new()
        .ticket("2026-03-01 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-01 09:00"))
        })
        .ticket("2026-03-02 08:00", |_| {})
        .build();
    assert_no_data_like(
        &kpis(&data, "2026-03"),
        "first_response_hours",
        "tickets",
        "no ticket has any first-response field",
    );
}

#[test]
fn fcr_is_no_data_when_the_export_has_neither_fcr_nor_contacts() {
    let data = Fx::new()
        .ticket("2026-03-01 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-01 09:00"))
        })
        .ticket("2026-03-02 08:00", |t| {
            t.resolved_at = Some(dt("2026-03-02 09:00"))
        })
        .build();
    assert_no_data_like(
        &kpis(&data, "2026-03"),
        "fcr",
        "tickets",
        "first contact cannot be told without fcr or contacts",
    );
}

#[test]
fn resolution_hours_is_no_data_when_the_export_has_no_resolved_at() {
    let data = Fx::new()
        .ticket("2026-03-01 08:00", |t| t.first_response_minutes = Some(5.0))
        .build();
    assert_no_data_like(
        &kpis(&data, "2026-03"),
        "resolution_hours",
        "tickets",
        "no ticket in the dataset has resolved_at",
    );
}
