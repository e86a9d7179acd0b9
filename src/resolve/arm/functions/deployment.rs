//! Deployment functions: parameters and variables, the deployment's scope (`resourceGroup()`,
//! `subscription()`, ...), resource ids, `reference()`, the hashes `uniqueString()` and `guid()`,
//! and the functions whose result exists only at deployment time (`newGuid()`, `list*`).

use super::helpers::{as_int, bad, display_into, node, obj, s, term};
use super::Call;
use crate::resolve::arm::{
    unknown, DeploymentScope, Expr, ACR_SUFFIX_PLACEHOLDER, CLOUD_NAME_PLACEHOLDER,
    LOCATION_PLACEHOLDER, SUBSCRIPTION_PLACEHOLDER, TENANT_PLACEHOLDER,
};
use crate::resolve::unique_string;
use crate::symbolic;
use crate::value::Value;

pub(super) fn parameters(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(n)] => c.env.parameter(n),
        _ => c.reject(v),
    }
}

pub(super) fn variables(c: &Call, v: &[Value]) -> Value {
    match v {
        [Value::String(n)] => c.env.variable(n),
        _ => c.reject(v),
    }
}

pub(super) fn copy_index(c: &Call, values: &[Value]) -> Value {
    let (name, offset) = match values {
        [] => (None, 0),
        [Value::String(n)] => (Some(n.as_str()), 0),
        [Value::String(n), off] => match as_int(off) {
            Some(o) => (Some(n.as_str()), o),
            None => return c.bad("has an offset that is not an integer"),
        },
        [off] => match as_int(off) {
            Some(o) => (None, o),
            None => return c.bad("has an offset that is not an integer"),
        },
        _ => return c.bad("has too many arguments"),
    };
    match c.env.copy_index(name) {
        Value::Number(i) => Value::Number(i + offset as f64),
        Value::Unknown(u) => Value::Unknown(u),
        _ => c.bad("is used outside a copy loop"),
    }
}

pub(super) fn reference(c: &Call, v: &[Value]) -> Value {
    let [target @ (Value::String(_) | Value::Symbolic(_)), rest @ ..] = v else {
        return c.reject(v);
    };
    let Some(state) = target.as_str().and_then(|t| c.env.reference(t)) else {
        return c.bad("reads the deployed state of a resource, known only at deployment time");
    };
    // With 'Full', the properties are one member of the whole resource; its region is where
    // it was deployed, as for one that exists already (see `member`).
    match rest.get(1).and_then(Value::as_str) {
        Some(full) if full.eq_ignore_ascii_case("full") => obj(vec![
            ("properties", state),
            (
                "location",
                Value::Symbolic(symbolic::Symbolic::term(&format!(
                    "reference({}).location",
                    target.as_str().unwrap_or_default()
                ))),
            ),
        ]),
        _ => state,
    }
}

pub(super) fn references(c: &Call, _: &[Value]) -> Value {
    c.bad("reads the deployed state of resources, known only at deployment time")
}

/// `listKeys()`, `listSecrets()`, ...: every function whose name starts with `list`.
pub(super) fn list(c: &Call) -> Value {
    c.bad("returns runtime values (keys, secrets, state), known only at deployment time")
}

pub(super) fn new_guid(c: &Call, _: &[Value]) -> Value {
    c.bad("returns a new random GUID on every deployment")
}

/// The time of the deployment: ARM allows it only in parameter defaults, where it is one value
/// for the whole deployment, so a deployment-time term like `resourceGroup().name` (a registry
/// named `acr{uniqueString(resourceGroup().id, utcNow())}` is the one its endpoint names). A format
/// that may write a `/` (the short-date ones, or a custom one with a `/`) would split an id: unknown.
pub(super) fn utc_now(c: &Call, v: &[Value]) -> Value {
    match v {
        [] => term("utcNow()"),
        [Value::String(f)] if !f.contains('/') && !["d", "g", "G"].contains(&f.as_str()) => {
            term(&format!("utcNow('{f}')"))
        }
        [Value::String(_)] => c.bad("returns the time of the deployment, in a format with `/`"),
        _ => c.reject(v),
    }
}

pub(super) fn pick_zones(c: &Call, _: &[Value]) -> Value {
    c.bad("depends on the zones of the region at deployment time")
}

pub(super) fn tenant(_: &Call, _: &[Value]) -> Value {
    obj(vec![
        ("tenantId", s(TENANT_PLACEHOLDER)),
        (
            "countryCode",
            unknown("tenant().countryCode", "is known only at deployment time"),
        ),
        (
            "displayName",
            unknown("tenant().displayName", "is known only at deployment time"),
        ),
    ])
}

pub(super) fn management_group(c: &Call, _: &[Value]) -> Value {
    let scope = c.env.scope();
    match scope {
        DeploymentScope::ManagementGroup(mg) => obj(vec![
            ("id", s(scope.id())),
            ("name", s(mg.clone())),
            ("type", s("Microsoft.Management/managementGroups")),
        ]),
        _ => c.bad("is only available in management-group deployments"),
    }
}

pub(super) fn deployment(_: &Call, _: &[Value]) -> Value {
    obj(vec![
        ("name", term("deployment().name")),
        ("location", term("deployment().location")),
        (
            "properties",
            unknown(
                "deployment().properties",
                "is known only at deployment time",
            ),
        ),
    ])
}

pub(super) fn environment(_: &Call, _: &[Value]) -> Value {
    ENVIRONMENT.to_value()
}

pub(super) fn resource_id(c: &Call, v: &[Value]) -> Value {
    id_function("resourceid", c, v)
}

pub(super) fn subscription_resource_id(c: &Call, v: &[Value]) -> Value {
    id_function("subscriptionresourceid", c, v)
}

pub(super) fn tenant_resource_id(c: &Call, v: &[Value]) -> Value {
    id_function("tenantresourceid", c, v)
}

pub(super) fn extension_resource_id(c: &Call, v: &[Value]) -> Value {
    id_function("extensionresourceid", c, v)
}

pub(super) fn management_group_resource_id(c: &Call, v: &[Value]) -> Value {
    id_function("managementgroupresourceid", c, v)
}

/// One of the `*resourceId` functions (`f` in lower case).
fn id_function(f: &str, c: &Call, v: &[Value]) -> Value {
    match resource_id_text(f, v, c.env.scope()) {
        Ok(id) => s(id),
        Err(e) => c.bad(e),
    }
}

pub(super) fn unique_string(c: &Call, v: &[Value]) -> Value {
    hash_function("uniquestring", v, c.text, c.env.scope())
}

pub(super) fn guid(c: &Call, v: &[Value]) -> Value {
    hash_function("guid", v, c.text, c.env.scope())
}

/// Append `/t1/n1/t2/n2...` to `out`: each type segment followed by its name segment. False
/// when the counts differ or there is no pair (`out` is then not meaningful).
pub(crate) fn push_type_name_pairs<'a>(
    out: &mut String,
    mut types: impl Iterator<Item = &'a str>,
    mut names: impl Iterator<Item = &'a str>,
) -> bool {
    let mut pairs = 0;
    loop {
        match (types.next(), names.next()) {
            (Some(t), Some(n)) => {
                out.push('/');
                out.push_str(t);
                out.push('/');
                out.push_str(n);
                pairs += 1;
            }
            (None, None) => return pairs > 0,
            _ => return false,
        }
    }
}

/// `Ns/t1/t2` and names `[n1, n2]` → `Ns/t1/n1/t2/n2`.
fn provider_path(rtype: &str, names: &[Value]) -> Result<String, String> {
    let mut types = rtype.split('/').filter(|x| !x.is_empty());
    let namespace = types.next().ok_or("has an empty resource type")?;
    // The names joined by '/': a name with '/' in it gives several segments.
    let mut joined = String::new();
    for n in names {
        display_into(&mut joined, n).ok_or("has an unknown resource name")?;
        joined.push('/');
    }
    let parts = joined.split('/').filter(|x| !x.is_empty());
    let mut out = String::with_capacity(rtype.len() + joined.len() + 1);
    out.push_str(namespace);
    if push_type_name_pairs(&mut out, types, parts) {
        return Ok(out);
    }
    let count = |text: &str| text.split('/').filter(|x| !x.is_empty()).count();
    Err(format!(
        "has {} name segment(s) for the type '{rtype}', which needs {}",
        count(&joined),
        count(rtype) - 1
    ))
}

/// `resourceId`, `subscriptionResourceId`, `tenantResourceId`, `extensionResourceId`,
/// `managementGroupResourceId`. The type is the first argument containing `/`; the arguments
/// before it name the scope.
fn resource_id_text(f: &str, values: &[Value], scope: &DeploymentScope) -> Result<String, String> {
    let type_at = values
        .iter()
        .position(|x| x.as_str().is_some_and(|t| t.contains('/')))
        .filter(|&i| f != "extensionresourceid" || i >= 1);
    let type_at = match (f, type_at) {
        // The base id of an extension resource contains '/' too: the type comes after it.
        ("extensionresourceid", _) => 1,
        (_, Some(i)) => i,
        (_, None) => return Err("has no resource type argument".into()),
    };
    let rtype = values
        .get(type_at)
        .and_then(Value::as_str)
        .ok_or("has a resource type that is not a string")?;
    let path = provider_path(rtype, values.get(type_at + 1..).unwrap_or_default())?;
    let scope_args: Vec<&str> = values[..type_at]
        .iter()
        .map(|x| {
            x.as_str()
                .ok_or("has a scope argument that is not a string")
        })
        .collect::<Result<_, _>>()?;
    let sub_default = || scope.subscription().unwrap_or(SUBSCRIPTION_PLACEHOLDER);
    let mut id = String::with_capacity(128 + path.len());
    match (f, scope_args.as_slice()) {
        ("resourceid", []) => scope.push_id(&mut id),
        ("resourceid", [rg]) => push_all(
            &mut id,
            &["/subscriptions/", sub_default(), "/resourceGroups/", rg],
        ),
        ("resourceid", [sub, rg]) => {
            push_all(&mut id, &["/subscriptions/", sub, "/resourceGroups/", rg])
        }
        ("subscriptionresourceid", []) => push_all(&mut id, &["/subscriptions/", sub_default()]),
        ("subscriptionresourceid", [sub]) => push_all(&mut id, &["/subscriptions/", sub]),
        ("tenantresourceid", []) => {}
        ("managementgroupresourceid", []) => match scope {
            DeploymentScope::ManagementGroup(_) => scope.push_id(&mut id),
            _ => return Err("is used outside a management-group deployment".into()),
        },
        ("managementgroupresourceid", [mg]) => push_all(
            &mut id,
            &["/providers/Microsoft.Management/managementGroups/", mg],
        ),
        ("extensionresourceid", [base]) => id.push_str(base.trim_end_matches('/')),
        _ => return Err("has too many scope arguments".into()),
    }
    push_all(&mut id, &["/providers/", &path]);
    Ok(id)
}

fn push_all(out: &mut String, parts: &[&str]) {
    for p in parts {
        out.push_str(p);
    }
}

pub(super) fn resource_group(c: &Call, _: &[Value]) -> Value {
    let scope = c.env.scope();
    match scope {
        DeploymentScope::ResourceGroup { group, .. } => obj(vec![
            ("id", s(scope.id())),
            ("name", s(group.clone())),
            ("type", s("Microsoft.Resources/resourceGroups")),
            ("location", s(LOCATION_PLACEHOLDER)),
            (
                "properties",
                obj(vec![("provisioningState", s("Succeeded"))]),
            ),
        ]),
        _ => c.bad("is only available in resource-group deployments"),
    }
}

pub(super) fn subscription(c: &Call, _: &[Value]) -> Value {
    match c.env.scope().subscription() {
        Some(sub) => obj(vec![
            ("id", s(format!("/subscriptions/{sub}"))),
            ("subscriptionId", s(sub)),
            ("tenantId", s(TENANT_PLACEHOLDER)),
            ("displayName", term("subscription().displayName")),
        ]),
        None => c.bad("is only available in subscription and resource-group deployments"),
    }
}

/// A constant value, read in place: member access on `environment()` takes only the member.
pub(in crate::resolve::arm) enum Constant {
    Str(&'static str),
    List(&'static [&'static str]),
    Object(&'static [(&'static str, Constant)]),
}

impl Constant {
    pub(in crate::resolve::arm) fn to_value(&self) -> Value {
        match self {
            Constant::Str(x) => s(*x),
            Constant::List(items) => Value::List(items.iter().map(|x| node(s(*x))).collect()),
            Constant::Object(members) => Value::Object(
                members
                    .iter()
                    .map(|(k, v)| ((*k).into(), node(v.to_value())))
                    .collect(),
            ),
        }
    }

    /// A member as [`crate::resolve::arm::member`] finds it (exact name first, then case-insensitive).
    fn member(&self, name: &str) -> Option<&Constant> {
        let Constant::Object(members) = self else {
            return None;
        };
        members
            .iter()
            .find(|(k, _)| *k == name)
            .or_else(|| members.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)))
            .map(|(_, v)| v)
    }
}

/// `environment()` as in AzureCloud (reference section 7.4), but for the values that tell the
/// clouds apart where rules look: the cloud's name and its registry suffix are the deployment's.
static ENVIRONMENT: Constant = Constant::Object(&[
    ("name", Constant::Str(CLOUD_NAME_PLACEHOLDER)),
    ("gallery", Constant::Str("https://gallery.azure.com/")),
    ("graph", Constant::Str("https://graph.windows.net/")),
    ("portal", Constant::Str("https://portal.azure.com")),
    ("graphAudience", Constant::Str("https://graph.windows.net/")),
    (
        "activeDirectoryDataLake",
        Constant::Str("https://datalake.azure.net/"),
    ),
    ("batch", Constant::Str("https://batch.core.windows.net/")),
    ("media", Constant::Str("https://rest.media.azure.net")),
    (
        "sqlManagement",
        Constant::Str("https://management.core.windows.net:8443/"),
    ),
    (
        "resourceManager",
        Constant::Str("https://management.azure.com/"),
    ),
    (
        "authentication",
        Constant::Object(&[
            (
                "loginEndpoint",
                Constant::Str("https://login.microsoftonline.com/"),
            ),
            (
                "audiences",
                Constant::List(&[
                    "https://management.core.windows.net/",
                    "https://management.azure.com/",
                ]),
            ),
            ("tenant", Constant::Str("common")),
            ("identityProvider", Constant::Str("AAD")),
        ]),
    ),
    (
        "suffixes",
        Constant::Object(&[
            ("acrLoginServer", Constant::Str(ACR_SUFFIX_PLACEHOLDER)),
            (
                "azureDatalakeAnalyticsCatalogAndJob",
                Constant::Str("azuredatalakeanalytics.net"),
            ),
            (
                "azureDatalakeStoreFileSystem",
                Constant::Str("azuredatalakestore.net"),
            ),
            ("azureFrontDoorEndpointSuffix", Constant::Str("azurefd.net")),
            ("keyvaultDns", Constant::Str(".vault.azure.net")),
            ("sqlServerHostname", Constant::Str(".database.windows.net")),
            ("storage", Constant::Str("core.windows.net")),
        ]),
    ),
]);

/// `environment().a.b`: the constant that a chain of member accesses on `environment()` reads,
/// and how many expressions the chain has (the call and each access); `None` when it is not
/// such a chain or a member is missing (then the full evaluation says why).
pub(in crate::resolve::arm) fn constant_member(e: &Expr) -> Option<(&'static Constant, usize)> {
    match e {
        Expr::Call { name, args, .. }
            if args.is_empty() && name.eq_ignore_ascii_case("environment") =>
        {
            Some((&ENVIRONMENT, 1))
        }
        Expr::Member { target, name } => {
            let (c, n) = constant_member(target)?;
            Some((c.member(name)?, n + 1))
        }
        _ => None,
    }
}

/// `uniqueString` and `guid`: real hashes of known inputs; of deployment-time inputs, a term
/// naming the call (`uniqueString(resourceGroup().id)`), never a made-up hash.
fn hash_function(f: &str, values: &[Value], text: &str, scope: &DeploymentScope) -> Value {
    let args: Option<Vec<&str>> = values.iter().map(Value::as_str).collect();
    let Some(args) = args.filter(|a| !a.is_empty()) else {
        return bad(text, "needs string arguments");
    };
    let name = if f == "guid" { "guid" } else { "uniqueString" };
    if args.iter().any(|a| symbolic::is_symbolic(a)) {
        let args: Vec<String> = args.iter().map(|a| scope_expression(a, scope)).collect();
        return term(&format!("{name}({})", args.join(", ")));
    }
    s(if f == "guid" {
        unique_string::guid(&args)
    } else {
        unique_string::unique_string(&args)
    })
}

/// An argument as the user writes it: the scope's id as `resourceGroup().id` (or
/// `subscription().id`), anything else quoted.
fn scope_expression(arg: &str, scope: &DeploymentScope) -> String {
    let id = scope.id();
    if arg == id {
        match scope {
            DeploymentScope::ResourceGroup { .. } => return "resourceGroup().id".into(),
            DeploymentScope::Subscription(_) => return "subscription().id".into(),
            _ => {}
        }
    }
    if let Some(sub) = scope.subscription() {
        if arg.strip_prefix("/subscriptions/") == Some(sub) {
            return "subscription().id".into();
        }
    }
    match symbolic::whole_term(arg) {
        Some(expr) => expr.into_owned(),
        None => format!("'{}'", symbolic::display(arg)),
    }
}
