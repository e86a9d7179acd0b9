//! The rules: each a pure function over the linked model, one file per rule, with its metadata and
//! documentation in `rules/<ID>.md` at the repository root.

pub mod meta;

use std::sync::OnceLock;

use crate::diagnostic::{Finding, Label, Undetermined};
use crate::link::Graph;
use crate::model::{Field, Meta, Model};
use crate::value::Unknown;
pub use meta::RuleMeta;

/// A rule's check. Rules read the model and graph only; they never see a file format.
pub trait Rule: Sync {
    fn check(&self, cx: &mut Ctx);
}

/// One entry per rule: the check and its documentation. Adding a rule touches its two files and
/// this list; `tests/registry.rs` fails when any of them is missing.
macro_rules! registry {
    ($($id:literal => $module:ident :: $rule:ident),* $(,)?) => {
        $(mod $module;)*
        /// Every rule, in id order.
        pub static RULES: &[(&str, &dyn Rule, &str)] = &[
            $(($id, &$module::$rule, include_str!(concat!("../../rules/", $id, ".md"))),)*
        ];
    };
}

registry! {
    "ACR001" => acr001_public_network_access::PublicNetworkAccess,
    "ACR002" => acr002_firewall_only::FirewallOnly,
    "ACR003" => acr003_requires_premium::RequiresPremium,
    "ACR004" => acr004_no_dns_zone_group::NoDnsZoneGroup,
    "ACR005" => acr005_wrong_dns_zone::WrongDnsZone,
    "ACR006" => acr006_zone_not_linked::ZoneNotLinked,
    "ACR007" => acr007_wrong_subresource::WrongSubresource,
    "ACR008" => acr008_unreachable::Unreachable,
    "ACR009" => acr009_ineffective_ip_rules::IneffectiveIpRules,
    "ACR010" => acr010_admin_user::AdminUser,
    "ACR011" => acr011_anonymous_pull::AnonymousPull,
    "ACR012" => acr012_export_allowed::ExportAllowed,
}

/// All rule metadata, parsed once from the embedded documents.
pub fn all_meta() -> &'static [RuleMeta] {
    static META: OnceLock<Vec<RuleMeta>> = OnceLock::new();
    META.get_or_init(|| {
        RULES
            .iter()
            .map(|(id, _, doc)| {
                RuleMeta::parse(doc).unwrap_or_else(|e| panic!("rules/{id}.md is malformed: {e}"))
            })
            .collect()
    })
}

pub fn meta(id: &str) -> Option<&'static RuleMeta> {
    all_meta().iter().find(|m| m.id.eq_ignore_ascii_case(id))
}

/// Ids of every registered rule.
pub fn ids() -> Vec<&'static str> {
    RULES.iter().map(|(id, _, _)| *id).collect()
}

/// The rules that a Checkov check id stands for (none for checks acrlint does not have).
pub fn for_checkov(check: &str) -> Vec<&'static str> {
    all_meta()
        .iter()
        .filter(|m| m.checkov.iter().any(|c| c.eq_ignore_ascii_case(check)))
        .map(|m| m.id.as_str())
        .collect()
}

/// The rules that `dns = "external"` turns off.
pub fn dns_chain() -> impl Iterator<Item = &'static str> {
    all_meta()
        .iter()
        .filter(|m| m.dns_chain)
        .map(|m| m.id.as_str())
}

/// What a rule sees, and where it reports.
pub struct Ctx<'a> {
    pub model: &'a Model<'a>,
    pub graph: &'a Graph<'a>,
    pub findings: Vec<Finding>,
    pub undetermined: Vec<Undetermined>,
    rule: &'static RuleMeta,
    /// Whether fixes are wanted: without, rules build none.
    fixes: bool,
}

impl<'a> Ctx<'a> {
    /// Report a finding about `resource`. `attribute` names the attribute it is about (empty for
    /// the resource as a whole). The finding, unless it became undetermined (a resource that may
    /// not be created), so that the rule can offer a fix ([`Ctx::fix`]).
    pub fn report(
        &mut self,
        resource: &Meta,
        attribute: &str,
        primary: Label,
        related: Vec<Label>,
    ) -> Option<&mut Finding> {
        // A finding on a resource that may not be created would be a guess: record it as
        // undetermined instead.
        if let Some(u) = resource.existence {
            self.undetermined(
                resource,
                "whether the resource is created",
                u,
                resource.header,
            );
            return None;
        }
        // A value written elsewhere (a .tfvars file, a module argument) is shown where it is set.
        let mut related = related;
        if let Some(origin) = self.model.origins.get(&primary.span) {
            related.insert(0, Label::new(*origin, "the value is set here"));
        }
        let rule = self.rule;
        // An azapi resource's body is an ARM resource's: its fix is written as ARM's.
        let help = match resource.tf_addr.is_some_and(is_azapi) {
            true => &rule.help_arm,
            false => rule.help_for(resource.origin),
        };
        let spans: Vec<crate::source::Span> = std::iter::once(primary.span)
            .chain(related.iter().map(|l| l.span))
            .collect();
        let depends_on_files =
            crate::link::depends::depends_on(self.model, self.graph, resource, &spans);
        self.findings.push(Finding {
            rule: rule.id.as_str(),
            name: rule.name.as_str(),
            severity: rule.severity,
            message: primary.message.clone(),
            resource: resource.addr.to_string(),
            header: resource.header,
            attribute: attribute.to_string(),
            primary,
            related,
            help: help.to_string(),
            depends_on_files,
            fix_intent: None,
            fix: None,
        });
        self.findings.last_mut()
    }

    /// A fix that writes `to` where `field`'s value is written, for a rule whose document says it
    /// can fix (`fix:`). Nothing when the value is absent (a default) or unknown: only a value
    /// written as a literal is rewritten (see [`crate::fix::attach`]).
    pub fn fix<T>(
        &self,
        field: &Field<T>,
        title: &str,
        to: crate::fix::Literal,
    ) -> Option<crate::fix::Intent> {
        let Field::Known(_, span) = field else {
            return None;
        };
        if !self.fixes {
            return None;
        }
        Some(crate::fix::Intent {
            title: title.to_string(),
            applicability: self.rule.fix?,
            span: *span,
            change: crate::fix::Change::Rewrite(to),
            references: Vec::new(),
        })
    }

    /// A fix for a setting: write `to` where `field`'s value is written as a literal, or add
    /// `absent` to the resource when the attribute is absent and its default is the problem.
    pub fn fix_setting<T>(
        &self,
        field: &Field<T>,
        title: &str,
        to: crate::fix::Literal,
        absent: crate::fix::Setting,
    ) -> Option<crate::fix::Intent> {
        match field {
            Field::Default(_, header) => self.fix_add(*header, title, absent),
            _ => self.fix(field, title, to),
        }
    }

    /// A fix that adds `setting` at the resource whose header is `header` (a block, or a
    /// resource after it), for a rule whose document says it can fix.
    pub fn fix_add(
        &self,
        header: crate::source::Span,
        title: &str,
        setting: crate::fix::Setting,
    ) -> Option<crate::fix::Intent> {
        if !self.fixes {
            return None;
        }
        Some(crate::fix::Intent {
            title: title.to_string(),
            applicability: self.rule.fix?,
            span: header,
            change: crate::fix::Change::Add(setting),
            references: Vec::new(),
        })
    }

    /// Whether fixes are wanted (a rule need not work one out otherwise).
    pub fn fixes(&self) -> bool {
        self.fixes
    }

    /// A resource as a fix refers to it.
    pub fn declared(&self, meta: &crate::model::Meta) -> crate::fix::Declared {
        crate::fix::Declared {
            header: meta.header,
            tf_addr: meta.tf_addr.map(str::to_string),
        }
    }

    /// A related label on the registry that endpoint `e` targets, when it is in the model: the
    /// registry end of the chain registry ◄ endpoint ► zone ◄ link ► VNet.
    pub fn target_registry_label(&self, e: usize) -> Option<Label> {
        let r = &self.model.registries[self.graph.endpoints[e].registry?];
        Some(Label::new(
            r.meta.header,
            format!("the endpoint targets registry {}", r.meta.addr),
        ))
    }

    /// Record that the rule could not decide for `resource` because `what` is unknown.
    pub fn undetermined(
        &mut self,
        resource: &Meta,
        what: &str,
        unknown: &Unknown,
        span: crate::source::Span,
    ) {
        let depends_on = crate::symbolic::display(&unknown.depends_on).into_owned();
        let message = format!(
            "{} could not be decided: {what} depends on {depends_on}, which {}",
            self.rule.id,
            crate::symbolic::display(&unknown.reason)
        );
        let depends_on_files =
            crate::link::depends::depends_on(self.model, self.graph, resource, &[span]);
        self.undetermined.push(Undetermined {
            rule: self.rule.id.as_str(),
            resource: resource.addr.to_string(),
            depends_on,
            message,
            span,
            depends_on_files,
        });
    }

    /// For a switch that should stay off: report `message` where it is written on (with a fix
    /// that turns it off), and record an unknown value as undetermined (`what` names it).
    pub fn report_switched_on(
        &mut self,
        resource: &Meta,
        switch: &Field<bool>,
        attribute: &str,
        what: &str,
        message: &str,
    ) {
        match switch {
            Field::Known(true, span) => {
                let fix = self.fix(
                    switch,
                    &format!("turn off {what}"),
                    crate::fix::Literal::boolean(false),
                );
                if let Some(f) =
                    self.report(resource, attribute, Label::new(*span, message), Vec::new())
                {
                    f.fix_intent = fix;
                }
            }
            Field::Unknown(u, span) => self.undetermined(resource, what, u, *span),
            _ => {}
        }
    }
}

/// Run every selected rule over one scope's model; with `fixes`, findings carry what a fix
/// would write.
pub fn run(
    model: &Model,
    graph: &Graph,
    selected: &dyn Fn(&RuleMeta) -> bool,
    fixes: bool,
) -> (Vec<Finding>, Vec<Undetermined>) {
    // One context for all rules: they report into the same lists.
    let mut cx: Option<Ctx> = None;
    for ((_, rule, _), meta) in RULES.iter().zip(all_meta()) {
        if !selected(meta) {
            continue;
        }
        let cx = cx.get_or_insert_with(|| Ctx {
            model,
            graph,
            findings: Vec::new(),
            undetermined: Vec::new(),
            rule: meta,
            fixes,
        });
        cx.rule = meta;
        rule.check(cx);
    }
    let (findings, undetermined) =
        cx.map_or_else(Default::default, |cx| (cx.findings, cx.undetermined));
    (findings, undetermined)
}

/// Whether a Terraform address is an `azapi_resource` (in the root or a module).
fn is_azapi(addr: &str) -> bool {
    addr.starts_with("azapi_resource.") || addr.contains(".azapi_resource.")
}
