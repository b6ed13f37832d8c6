//! The demo desk's knowledge base: a bilingual set of articles for a
//! cross-border seller (returns, customs, sizing, refunds, log-in and
//! payment problems, …), embedded from assets/kb/.

/// (file name, text) of every demo article.
pub const DEMO_ARTICLES: &[(&str, &str)] = &[
    (
        "app-issues.en.md",
        include_str!("../../../assets/kb/app-issues.en.md"),
    ),
    (
        "app-issues.zh-CN.md",
        include_str!("../../../assets/kb/app-issues.zh-CN.md"),
    ),
    (
        "coupon-rejected.en.md",
        include_str!("../../../assets/kb/coupon-rejected.en.md"),
    ),
    (
        "coupon-rejected.zh-CN.md",
        include_str!("../../../assets/kb/coupon-rejected.zh-CN.md"),
    ),
    (
        "customs-delay.en.md",
        include_str!("../../../assets/kb/customs-delay.en.md"),
    ),
    (
        "customs-delay.zh-CN.md",
        include_str!("../../../assets/kb/customs-delay.zh-CN.md"),
    ),
    (
        "damaged-item.en.md",
        include_str!("../../../assets/kb/damaged-item.en.md"),
    ),
    (
        "damaged-item.zh-CN.md",
        include_str!("../../../assets/kb/damaged-item.zh-CN.md"),
    ),
    (
        "delivered-not-received.en.md",
        include_str!("../../../assets/kb/delivered-not-received.en.md"),
    ),
    (
        "delivered-not-received.zh-CN.md",
        include_str!("../../../assets/kb/delivered-not-received.zh-CN.md"),
    ),
    (
        "duplicate-charge.en.md",
        include_str!("../../../assets/kb/duplicate-charge.en.md"),
    ),
    (
        "duplicate-charge.zh-CN.md",
        include_str!("../../../assets/kb/duplicate-charge.zh-CN.md"),
    ),
    (
        "gdpr-data-request.en.md",
        include_str!("../../../assets/kb/gdpr-data-request.en.md"),
    ),
    (
        "gdpr-data-request.zh-CN.md",
        include_str!("../../../assets/kb/gdpr-data-request.zh-CN.md"),
    ),
    (
        "login-problems.en.md",
        include_str!("../../../assets/kb/login-problems.en.md"),
    ),
    (
        "login-problems.zh-CN.md",
        include_str!("../../../assets/kb/login-problems.zh-CN.md"),
    ),
    (
        "loyalty-points-missing.en.md",
        include_str!("../../../assets/kb/loyalty-points-missing.en.md"),
    ),
    (
        "loyalty-points-missing.zh-CN.md",
        include_str!("../../../assets/kb/loyalty-points-missing.zh-CN.md"),
    ),
    (
        "order-cancelled.en.md",
        include_str!("../../../assets/kb/order-cancelled.en.md"),
    ),
    (
        "order-cancelled.zh-CN.md",
        include_str!("../../../assets/kb/order-cancelled.zh-CN.md"),
    ),
    (
        "payment-failed.en.md",
        include_str!("../../../assets/kb/payment-failed.en.md"),
    ),
    (
        "payment-failed.zh-CN.md",
        include_str!("../../../assets/kb/payment-failed.zh-CN.md"),
    ),
    (
        "refund-timing.en.md",
        include_str!("../../../assets/kb/refund-timing.en.md"),
    ),
    (
        "refund-timing.zh-CN.md",
        include_str!("../../../assets/kb/refund-timing.zh-CN.md"),
    ),
    (
        "return-policy.en.md",
        include_str!("../../../assets/kb/return-policy.en.md"),
    ),
    (
        "return-policy.zh-CN.md",
        include_str!("../../../assets/kb/return-policy.zh-CN.md"),
    ),
    (
        "sizing-exchange.en.md",
        include_str!("../../../assets/kb/sizing-exchange.en.md"),
    ),
    (
        "sizing-exchange.zh-CN.md",
        include_str!("../../../assets/kb/sizing-exchange.zh-CN.md"),
    ),
    (
        "tracking-not-updating.en.md",
        include_str!("../../../assets/kb/tracking-not-updating.en.md"),
    ),
    (
        "tracking-not-updating.zh-CN.md",
        include_str!("../../../assets/kb/tracking-not-updating.zh-CN.md"),
    ),
    (
        "vat-invoice.en.md",
        include_str!("../../../assets/kb/vat-invoice.en.md"),
    ),
    (
        "vat-invoice.zh-CN.md",
        include_str!("../../../assets/kb/vat-invoice.zh-CN.md"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::kb::{file_name, parse_article};

    #[test]
    fn the_demo_articles_all_read_and_come_in_both_languages() {
        let mut ids = std::collections::BTreeMap::<String, Vec<String>>::new();
        for (name, text) in DEMO_ARTICLES {
            let doc = parse_article(text).map_err(|e| format!("{name}: {e:?}"));
            let doc = doc.expect("the demo article reads");
            assert_eq!(file_name(&doc.id, &doc.lang), *name);
            let category = doc.category.as_deref().unwrap_or("");
            assert!(crate::domain::Category::parse(category).is_ok(), "{name}");
            ids.entry(doc.id).or_default().push(doc.lang);
        }
        assert!(ids.len() >= 16);
        for (id, langs) in ids {
            assert_eq!(langs, ["en", "zh-CN"], "{id}");
        }
    }
}
