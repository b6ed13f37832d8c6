//! `tdesk customer add|list|show|merge`.

use super::args::CustomerCommand;
use super::output::{self, Table, line};
use super::{Session, Streams};
use crate::domain::{NewCustomer, Tier};
use crate::error::Result;
use crate::present::tier_label;
use crate::service::{CustomerExtras, Desk};

pub fn run(desk: &mut Desk, c: CustomerCommand, s: &Session, io: &mut Streams<'_>) -> Result<()> {
    let cat = &s.cat;
    match c {
        CustomerCommand::Add(a) => {
            let super::args::CustomerAddArgs {
                name,
                email,
                phone,
                buyer,
                social,
                order,
                tier,
                country,
                timezone,
                language,
                note,
            } = *a;
            let new = NewCustomer {
                name,
                email: email.first().cloned(),
                phone: phone.first().cloned(),
                tier: Tier::parse(&tier)?,
                country: country.map(|c| c.to_ascii_uppercase()),
                timezone,
                language,
            };
            let mut handles: Vec<(String, String)> = Vec::new();
            for (kind, list) in [
                ("email", &email),
                ("phone", &phone),
                ("buyer", &buyer),
                ("social", &social),
            ] {
                handles.extend(
                    list.iter()
                        .skip(usize::from(kind == "email" || kind == "phone"))
                        .map(|v| (kind.to_string(), v.clone())),
                );
            }
            let id = desk.add_customer(
                &new,
                &CustomerExtras {
                    handles,
                    orders: order,
                    notes: note,
                },
            )?;
            line(io.out, &cat.f("cli.customer_added", &[("id", &id)]))
        }
        CustomerCommand::Edit(a) => {
            let id = desk.find_customer(&a.key)?;
            let blank =
                |v: Option<String>| v.map(|v| Some(v.trim().to_string()).filter(|v| !v.is_empty()));
            let mut add_handles = Vec::new();
            for (kind, list) in [
                ("email", &a.email),
                ("phone", &a.phone),
                ("buyer", &a.buyer),
                ("social", &a.social),
            ] {
                add_handles.extend(list.iter().map(|v| (kind.to_string(), v.clone())));
            }
            let mut remove_handles = Vec::new();
            for r in &a.remove {
                let (kind, value) = r.split_once(':').ok_or_else(|| {
                    crate::Error::Invalid(crate::domain::InvalidValue::new(
                        "handle",
                        r,
                        "KIND:VALUE, e.g. email:old@example.com",
                    ))
                })?;
                remove_handles.push((kind.to_string(), value.to_string()));
            }
            let notes = a
                .notes
                .as_deref()
                .map(|n| super::text_arg(n, io))
                .transpose()?;
            let edit = crate::service::CustomerEdit {
                name: a.name.clone(),
                tier: a.tier.as_deref().map(Tier::parse).transpose()?,
                country: blank(a.country.clone()).map(|c| c.map(|c| c.to_ascii_uppercase())),
                timezone: blank(a.timezone.clone()),
                language: blank(a.language.clone()),
                add_handles,
                remove_handles,
                add_orders: a.order.clone(),
                remove_orders: a.remove_order.clone(),
                notes,
            };
            desk.edit_customer(id, &edit)?;
            line(io.out, &cat.f("cli.customer_edited", &[("id", &id)]))
        }
        CustomerCommand::List { text, json } => {
            let list = desk.customers(text.as_deref(), 200)?;
            if json {
                return output::json(io.out, &list);
            }
            let mut t = Table::new(&[
                "#",
                cat.t("col.customer"),
                cat.t("col.tier"),
                cat.t("col.country"),
            ]);
            for c in &list {
                t.push(vec![
                    c.id.to_string(),
                    c.name.clone(),
                    tier_label(cat, c.tier),
                    c.country.clone().unwrap_or_else(|| "–".into()),
                ]);
            }
            io.out
                .write_all(t.render(s.width).as_bytes())
                .map_err(output::io)
        }
        CustomerCommand::Show { key, json } => {
            let p = desk.customer_profile(desk.find_customer(&key)?)?;
            if json {
                return output::json(io.out, &p);
            }
            let tz = chrono::Local::now().offset().to_owned();
            let lines = crate::present::customer_lines(cat, desk.workflow(), &p, desk.now(), &tz);
            for l in lines {
                line(io.out, &l)?;
            }
            Ok(())
        }
        CustomerCommand::Merge { keep, gone } => {
            let (keep, gone) = (desk.find_customer(&keep)?, desk.find_customer(&gone)?);
            let moved = desk.merge_customers(keep, gone)?;
            line(
                io.out,
                &cat.f(
                    "cli.customers_merged",
                    &[("gone", &gone), ("keep", &keep), ("count", &moved)],
                ),
            )
        }
    }
}
