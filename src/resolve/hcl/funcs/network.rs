//! IP network functions.

use super::str_node;
use crate::resolve::hcl::coerce::{to_int, to_str, Fx, Halt, Limits};
use crate::source::Span;
use crate::value::{Node, Value};
use compact_str::CompactString;

pub(super) fn cidrsubnet(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let net = Cidr::parse(&to_str(&a[0].value)?)?;
    let bits = to_int(&a[1].value)?;
    let num = to_int(&a[2].value)?;
    Ok(Value::String(CompactString::from(
        net.subnet(bits, num)?.to_string(),
    )))
}

pub(super) fn cidrsubnets(a: &[Node], sp: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let net = Cidr::parse(&to_str(&a[0].value)?)?;
    let mut out = Vec::new();
    let mut next = net.addr;
    for n in &a[1..] {
        let (sub, after) = net.allocate(next, to_int(&n.value)?)?;
        out.push(str_node(CompactString::from(sub.to_string()), sp));
        next = after;
    }
    Ok(Value::List(out))
}

pub(super) fn cidrhost(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let net = Cidr::parse(&to_str(&a[0].value)?)?;
    Ok(Value::String(net.host(to_int(&a[1].value)?)?.into()))
}

pub(super) fn cidrnetmask(a: &[Node], _: Option<Span>, _: &mut Limits) -> Fx<Value> {
    let net = Cidr::parse(&to_str(&a[0].value)?)?;
    if net.width != 32 {
        return Err(Halt::Err("only IPv4 prefixes have a netmask".into()));
    }
    Ok(Value::String(CompactString::from(
        std::net::Ipv4Addr::from(net.mask() as u32).to_string(),
    )))
}

/// An IPv4 or IPv6 prefix, as an integer address and a prefix length.
struct Cidr {
    addr: u128,
    len: u32,
    /// 32 or 128.
    width: u32,
}

impl Cidr {
    fn parse(s: &str) -> Fx<Cidr> {
        let bad = || Halt::Err(format!("\"{s}\" is not a CIDR prefix"));
        let (ip, len) = s.split_once('/').ok_or_else(bad)?;
        let len: u32 = len.parse().map_err(|_| bad())?;
        let (addr, width) = match ip.parse::<std::net::IpAddr>().map_err(|_| bad())? {
            std::net::IpAddr::V4(v4) => (u32::from(v4) as u128, 32),
            std::net::IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        if len > width {
            return Err(bad());
        }
        let net = Cidr { addr, len, width };
        Ok(Cidr {
            addr: addr & net.mask(),
            ..net
        })
    }

    fn mask(&self) -> u128 {
        let all = if self.width == 32 {
            u32::MAX as u128
        } else {
            u128::MAX
        };
        let host_bits = self.width - self.len;
        if host_bits >= 128 {
            0
        } else {
            all & !((1u128 << host_bits) - 1)
        }
    }

    fn format(&self, addr: u128) -> String {
        if self.width == 32 {
            std::net::Ipv4Addr::from(addr as u32).to_string()
        } else {
            std::net::Ipv6Addr::from(addr).to_string()
        }
    }

    fn subnet(&self, newbits: i64, num: i64) -> Fx<CidrText> {
        let new_len = self.len as i64 + newbits;
        if newbits < 0 || new_len > self.width as i64 {
            return Err(Halt::Err(format!(
                "cannot extend the prefix by {newbits} bits"
            )));
        }
        // The limit in u128: `1i64 << 63` would be negative and reject every number.
        let too_big = 1u128
            .checked_shl(newbits as u32)
            .is_some_and(|limit| num as u128 >= limit);
        if num < 0 || too_big {
            return Err(Halt::Err(format!(
                "network number {num} does not fit in {newbits} bits"
            )));
        }
        let shift = self.width - new_len as u32;
        let addr = self.addr | ((num as u128).checked_shl(shift).unwrap_or(0));
        Ok(CidrText(self.format(addr), new_len as u32))
    }

    /// `cidrsubnets`: the next free, aligned block of `newbits` after `next`.
    fn allocate(&self, next: u128, newbits: i64) -> Fx<(CidrText, u128)> {
        let new_len = self.len as i64 + newbits;
        if newbits < 1 || new_len > self.width as i64 {
            return Err(Halt::Err(format!(
                "cannot extend the prefix by {newbits} bits"
            )));
        }
        let size = 1u128
            .checked_shl(self.width - new_len as u32)
            .ok_or_else(|| Halt::Err("the prefix is too large".into()))?;
        let start = next.div_ceil(size).saturating_mul(size);
        let end_of_net = self.addr
            | !self.mask()
                & (if self.width == 32 {
                    u32::MAX as u128
                } else {
                    u128::MAX
                });
        if start < next || start > end_of_net || end_of_net - start < size - 1 {
            return Err(Halt::Err("not enough address space left".into()));
        }
        Ok((
            CidrText(self.format(start), new_len as u32),
            start.saturating_add(size),
        ))
    }

    fn host(&self, num: i64) -> Fx<String> {
        let host_bits = self.width - self.len;
        let size: i128 = if host_bits >= 127 {
            i128::MAX
        } else {
            1i128 << host_bits
        };
        let offset = if num < 0 {
            size + num as i128
        } else {
            num as i128
        };
        if offset < 0 || offset >= size {
            return Err(Halt::Err(format!("host number {num} is out of range")));
        }
        Ok(self.format(self.addr + offset as u128))
    }
}

struct CidrText(String, u32);

impl std::fmt::Display for CidrText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.0, self.1)
    }
}
