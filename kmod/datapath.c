// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: netfilter hooks on the VRF device's pass of IPv4
 * PRE_ROUTING (forwarded traffic) and LOCAL_OUT (the PE's own traffic).
 *
 * Instance by the VRF's table, LPM lookup, path choice among the group's
 * active members, label push, neigh_xmit() to the tunnel's gateway. A miss
 * leaves the packet to the kernel's own VRF routing.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/mpls.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "vpnlb.h"
#include "compat.h"

/* After mangle, DNAT and the filter table of LOCAL_OUT. */
#define VPNLB_NF_PRIORITY	(NF_IP_PRI_FILTER + 10)

#define VPNLB_STAT_HIT		(-2)
#define VPNLB_STAT_MISS		(-1)

/* Callers run with bottom halves disabled: this CPU's counters are ours. */
static void vpnlb_stat_inc(struct vpnlb_instance *inst, int which)
{
	struct vpnlb_istats *s = this_cpu_ptr(inst->stats);

	u64_stats_update_begin(&s->syncp);
	if (which == VPNLB_STAT_HIT)
		u64_stats_inc(&s->hits);
	else if (which == VPNLB_STAT_MISS)
		u64_stats_inc(&s->misses);
	else
		u64_stats_inc(&s->drops[which]);
	u64_stats_update_end(&s->syncp);
}

static void vpnlb_drop(struct vpnlb_instance *inst, struct sk_buff *skb,
		       enum vpnlb_drop why, enum skb_drop_reason reason)
{
	vpnlb_stat_inc(inst, why);
	kfree_skb_reason(skb, reason);
}

/*
 * ICMP errors need a route on the offending packet: forwarded packets have
 * none yet at PRE_ROUTING, so give them the VRF's route back to the sender.
 */
static void vpnlb_icmp(struct sk_buff *skb, struct net_device *vrf, int type,
		       int code, __be32 info)
{
	if (!skb_dst(skb)) {
		struct flowi4 fl4 = {
			.daddr = ip_hdr(skb)->saddr,
			.flowi4_oif = vrf->ifindex,
		};
		struct rtable *rt;

		rt = ip_route_output_key(dev_net(vrf), &fl4);
		if (IS_ERR(rt))
			return;
		skb_dst_set(skb, &rt->dst);
	}
	icmp_send(skb, type, code, info);
}

static u32 vpnlb_flow_hash(const struct sk_buff *skb, const struct iphdr *iph,
			   u8 fields, u32 seed)
{
	__be32 buf, ports = 0;
	const __be32 *p;

	if (fields == VPNLB_HASH_L3)
		return jhash_2words((__force u32)iph->saddr,
				    (__force u32)iph->daddr, seed);
	if (!ip_is_fragment(iph)) {
		switch (iph->protocol) {
		case IPPROTO_TCP:
		case IPPROTO_UDP:
		case IPPROTO_UDPLITE:
		case IPPROTO_SCTP:
		case IPPROTO_DCCP:
			p = skb_header_pointer(skb, skb_network_offset(skb) +
					       iph->ihl * 4, sizeof(buf), &buf);
			if (p)
				ports = *p;
			break;
		}
	}
	return jhash_3words((__force u32)iph->saddr, (__force u32)iph->daddr,
			    (__force u32)ports ^ iph->protocol, seed);
}

static bool vpnlb_too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (skb->len <= mtu)
		return false;
	return !skb_is_gso(skb) || !skb_gso_validate_network_len(skb, mtu);
}

static __be32 vpnlb_lse(u32 label, u8 ttl, bool bos)
{
	return cpu_to_be32((label << MPLS_LS_LABEL_SHIFT) |
			   ((u32)bos << MPLS_LS_S_SHIFT) |
			   ((u32)ttl << MPLS_LS_TTL_SHIFT));
}

static void vpnlb_member_count(struct vpnlb_mstats __percpu *stats,
			       unsigned int idx, unsigned int len)
{
	struct vpnlb_mstats *s = this_cpu_ptr(stats) + idx;

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	u64_stats_update_end(&s->syncp);
}

/* How one packet (or each of its fragments) leaves. */
struct vpnlb_xmit_ctx {
	struct vpnlb_instance *inst;
	const struct vpnlb_tunnel_fwd *tf;
	struct vpnlb_mstats __percpu *stats;	/* NULL: no member counters */
	unsigned int idx;
	u32 vpn_label;
	u8 ttl;
};

/* ip_do_fragment()'s output callback takes no context: this CPU's copy. */
static DEFINE_PER_CPU(struct vpnlb_xmit_ctx, vpnlb_frag_ctx);

/* Pushes the labels and sends skb to the tunnel's gateway; consumes skb. */
static int vpnlb_push_send(const struct vpnlb_xmit_ctx *ctx,
			   struct sk_buff *skb)
{
	const struct vpnlb_tunnel_fwd *tf = ctx->tf;
	unsigned int hdrlen = (tf->nlabels + 1) * sizeof(__be32), i;
	__be32 *lse;
	int err;

	if (skb_cow_head(skb, LL_RESERVED_SPACE(tf->dev) + hdrlen)) {
		vpnlb_drop(ctx->inst, skb, VPNLB_DROP_NOMEM,
			   SKB_DROP_REASON_NOMEM);
		return -ENOMEM;
	}
	skb_dst_drop(skb);
	/* GSO segments the inner IPv4 packet below the labels. */
	skb_set_inner_protocol(skb, htons(ETH_P_IP));
	skb_reset_inner_network_header(skb);
	skb_push(skb, hdrlen);
	skb_reset_network_header(skb);
	lse = (__be32 *)skb_network_header(skb);
	for (i = 0; i < tf->nlabels; i++)
		lse[i] = vpnlb_lse(tf->labels[i], ctx->ttl, false);
	lse[i] = vpnlb_lse(ctx->vpn_label, ctx->ttl, true);
	skb->dev = tf->dev;
	skb->protocol = htons(ETH_P_MPLS_UC);

	if (ctx->stats)
		vpnlb_member_count(ctx->stats, ctx->idx, skb->len);
	err = neigh_xmit(NEIGH_ARP_TABLE, tf->dev, &tf->gateway, skb);
	if (err < 0)
		vpnlb_stat_inc(ctx->inst, VPNLB_DROP_NO_NEIGH);
	return err;
}

static int vpnlb_frag_output(struct net *net, struct sock *sk,
			     struct sk_buff *skb)
{
	return vpnlb_push_send(this_cpu_ptr(&vpnlb_frag_ctx), skb);
}

/*
 * A packet without DF too big for the egress device below the labels:
 * fragments of at most mtu bytes, each labelled. ip_do_fragment() wants a
 * route for the link headroom: the one to the gateway over the device.
 */
static void vpnlb_fragment(struct net *net, struct sk_buff *skb,
			   const struct vpnlb_xmit_ctx *ctx, unsigned int mtu)
{
	struct flowi4 fl4 = {
		.daddr = ctx->tf->gateway,
		.flowi4_oif = ctx->tf->dev->ifindex,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		vpnlb_drop(ctx->inst, skb, VPNLB_DROP_MTU,
			   SKB_DROP_REASON_PKT_TOO_BIG);
		return;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	IPCB(skb)->frag_max_size = mtu;
	*this_cpu_ptr(&vpnlb_frag_ctx) = *ctx;
	/* On failure ip_do_fragment() has freed the packet. */
	if (ip_do_fragment(net, NULL, skb, vpnlb_frag_output))
		vpnlb_stat_inc(ctx->inst, VPNLB_DROP_MTU);
}

/* Checks TTL and MTU, then sends the packet over nh. */
static void vpnlb_xmit(struct vpnlb_instance *inst, struct sk_buff *skb,
		       const struct vpnlb_nexthop *nh,
		       struct vpnlb_mstats __percpu *stats, unsigned int idx,
		       bool forwarded, struct net_device *vrf)
{
	struct vpnlb_xmit_ctx ctx = {
		.inst = inst,
		.stats = stats,
		.idx = idx,
	};
	const struct vpnlb_tunnel *t;
	unsigned int hdrlen, mtu;
	struct iphdr *iph;
	bool big;

	t = rcu_dereference(nh->tunnel);
	if (t)
		ctx.tf = rcu_dereference(t->fwd);
	if (!ctx.tf || !ctx.tf->up || !ctx.tf->dev) {
		vpnlb_drop(inst, skb, VPNLB_DROP_TUNNEL_DOWN,
			   SKB_DROP_REASON_IP_OUTNOROUTES);
		return;
	}
	ctx.vpn_label = READ_ONCE(nh->label);

	iph = ip_hdr(skb);
	if (forwarded && iph->ttl <= 1) {
		vpnlb_icmp(skb, vrf, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		vpnlb_drop(inst, skb, VPNLB_DROP_TTL, SKB_DROP_REASON_IP_INHDR);
		return;
	}

	hdrlen = (ctx.tf->nlabels + 1) * sizeof(__be32);
	mtu = READ_ONCE(ctx.tf->dev->mtu);
	if (mtu < hdrlen + 68) {
		vpnlb_drop(inst, skb, VPNLB_DROP_MTU,
			   SKB_DROP_REASON_PKT_TOO_BIG);
		return;
	}
	mtu -= hdrlen;
	big = vpnlb_too_big(skb, mtu);
	if (big && (iph->frag_off & htons(IP_DF))) {
		vpnlb_icmp(skb, vrf, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			   htonl(mtu));
		vpnlb_drop(inst, skb, VPNLB_DROP_MTU,
			   SKB_DROP_REASON_PKT_TOO_BIG);
		return;
	}

	if (forwarded) {
		if (skb_cow_head(skb, LL_RESERVED_SPACE(ctx.tf->dev) +
				 hdrlen)) {
			vpnlb_drop(inst, skb, VPNLB_DROP_NOMEM,
				   SKB_DROP_REASON_NOMEM);
			return;
		}
		iph = ip_hdr(skb);
		ip_decrease_ttl(iph);
		skb_forward_csum(skb);
	}
	ctx.ttl = READ_ONCE(inst->ttl_mode) == VPNLB_TTL_PIPE ? 255 : iph->ttl;

	if (big)
		vpnlb_fragment(dev_net(vrf), skb, &ctx, mtu);
	else
		vpnlb_push_send(&ctx, skb);
}

static unsigned int vpnlb_hook(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	bool forwarded = state->hook == NF_INET_PRE_ROUTING;
	struct net_device *vrf = forwarded ? state->in : state->out;
	struct vpnlb_mstats __percpu *stats = NULL;
	const struct vpnlb_nexthop *nh;
	const struct vpnlb_active *act;
	struct vpnlb_instance *inst;
	const struct vpnlb_fwd *fwd;
	const struct iphdr *iph;
	unsigned int verdict = NF_STOLEN, i, idx = 0;
	struct vpnlb_net *vn;
	u32 value;

	/* The VRF driver runs the hooks on the slave and on the VRF device. */
	if (!vrf || !netif_is_l3_master(vrf))
		return NF_ACCEPT;
	vn = vpnlb_net(state->net);
	inst = xa_load(&vn->inst_by_table, l3mdev_fib_table_rcu(vrf));
	if (!inst)
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	/* The VRF driver already lets multicast by; broadcast too. */
	if (ipv4_is_lbcast(iph->daddr) || ipv4_is_multicast(iph->daddr) ||
	    ipv4_is_zeronet(iph->daddr))
		return NF_ACCEPT;

	local_bh_disable();
	value = vpnlb_lpm_lookup(inst->lpm, ntohl(iph->daddr));
	fwd = value ? xa_load(&vn->fwd, value) : NULL;
	if (!fwd) {
		vpnlb_stat_inc(inst, VPNLB_STAT_MISS);
		verdict = NF_ACCEPT;
		goto out;
	}
	vpnlb_stat_inc(inst, VPNLB_STAT_HIT);

	if (fwd->kind == VPNLB_FWD_GROUP) {
		const struct vpnlb_group *g;

		g = container_of(fwd, struct vpnlb_group, fwd);
		act = rcu_dereference(g->active);
		if (!act) {
			vpnlb_drop(inst, skb, VPNLB_DROP_NO_MEMBER,
				   SKB_DROP_REASON_IP_OUTNOROUTES);
			goto out;
		}
		if (READ_ONCE(inst->lb_mode) == VPNLB_LB_PACKET)
			i = vpnlb_sel_wrr_next(this_cpu_ptr(act->wrr),
					       act->weights, act->n,
					       act->total);
		else
			i = vpnlb_sel_hash(act->bounds, act->n,
					   vpnlb_flow_hash(skb, iph,
							   READ_ONCE(inst->hash_fields),
							   vn->hash_seed));
		nh = act->nh[i];
		stats = act->members->stats;
		idx = act->idx[i];
	} else {
		nh = container_of(fwd, struct vpnlb_nexthop, fwd);
	}
	vpnlb_xmit(inst, skb, nh, stats, idx, forwarded, vrf);
out:
	local_bh_enable();
	return verdict;
}

static const struct nf_hook_ops vpnlb_nf_ops[] = {
	{
		.hook = vpnlb_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = VPNLB_NF_PRIORITY,
	},
	{
		.hook = vpnlb_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = VPNLB_NF_PRIORITY,
	},
};

int vpnlb_datapath_register(struct net *net)
{
	return nf_register_net_hooks(net, vpnlb_nf_ops,
				     ARRAY_SIZE(vpnlb_nf_ops));
}

void vpnlb_datapath_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, vpnlb_nf_ops, ARRAY_SIZE(vpnlb_nf_ops));
}
