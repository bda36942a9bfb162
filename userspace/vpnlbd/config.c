// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp_extcomm.h"
#include "config.h"

#define MAX_TOKENS	8

void cfg_init(struct config *c)
{
	memset(c, 0, sizeof(*c));
}

void cfg_session_init(struct cfg_session *s, const struct config *running,
		      enum cfg_view start)
{
	memset(s, 0, sizeof(*s));
	s->view = start;
	s->cand = *running;
}

struct cfg_instance *cfg_find_instance(struct config *c, const char *name)
{
	for (unsigned int i = 0; i < c->n_inst; i++)
		if (strcmp(c->inst[i].name, name) == 0)
			return &c->inst[i];
	return NULL;
}

const struct cfg_instance *cfg_find_instance_const(const struct config *c,
						   const char *name)
{
	return cfg_find_instance((struct config *)c, name);
}

struct cfg_peer *cfg_find_peer(struct config *c, uint32_t addr)
{
	for (unsigned int i = 0; i < c->n_peers; i++)
		if (c->peers[i].addr == addr)
			return &c->peers[i];
	return NULL;
}

static bool parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* The kernel's rules for a device name (dev_valid_name). */
static bool valid_ifname(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > CFG_IFNAME_MAX || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

static bool parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		return false;
	*out = ntohl(a.s_addr);
	return true;
}

static int tokenize(char *buf, char **tok)
{
	int n = 0;
	char *save = NULL;

	for (char *t = strtok_r(buf, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = t;
	}
	return n;
}

/* Sets err to "line N: ..." and returns CFG_ERROR. */
static enum cfg_result fail(struct cfg_session *s, char *err, size_t size,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum cfg_result fail(struct cfg_session *s, char *err, size_t size,
			    const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, size, "line %u: ", s->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < size)
		vsnprintf(err + n, size - (size_t)n, fmt, ap);
	va_end(ap);
	if (s->errors++ == 0)
		snprintf(s->first_error, sizeof(s->first_error), "%s", err);
	return CFG_ERROR;
}

#define NOT_HERE	((enum cfg_result)-1)

static bool add_rt(uint64_t *list, unsigned int *n, uint64_t rt)
{
	for (unsigned int i = 0; i < *n; i++)
		if (list[i] == rt)
			return true;
	if (*n == CFG_MAX_RTS)
		return false;
	list[(*n)++] = rt;
	return true;
}

static void del_rt(uint64_t *list, unsigned int *n, uint64_t rt)
{
	for (unsigned int i = 0; i < *n; i++) {
		if (list[i] == rt) {
			list[i] = list[--*n];
			return;
		}
	}
}

static enum cfg_result instance_cmd(struct cfg_session *s, char **t, int n,
				    bool undo, char *err, size_t size)
{
	struct cfg_instance *in = cfg_find_instance(&s->cand, s->inst);
	bool af = s->view == CFG_VIEW_INSTANCE_AF;

	if (!in)
		return fail(s, err, size, "vpn-instance %s no longer exists", s->inst);
	if (!undo && n == 1 && strcmp(t[0], "ipv4-family") == 0 && !af) {
		in->af_ipv4 = true;
		s->view = CFG_VIEW_INSTANCE_AF;
		return CFG_DONE;
	}
	if (af && strcmp(t[0], "route-distinguisher") == 0) {
		uint64_t rd;

		if (undo)
			return fail(s, err, size,
				    "the route-distinguisher cannot be removed; undo the vpn-instance");
		if (n != 2)
			return fail(s, err, size, "usage: route-distinguisher ASN:NN|IP:NN");
		if (!bgp_rd_parse(t[1], &rd))
			return fail(s, err, size, "bad route-distinguisher %s", t[1]);
		if (in->has_rd && in->rd != rd)
			return fail(s, err, size,
				    "vpn-instance %s already has route-distinguisher; undo the vpn-instance to change it",
				    in->name);
		in->has_rd = true;
		in->rd = rd;
		return CFG_DONE;
	}
	if (af && strcmp(t[0], "vpn-target") == 0) {
		bool imp = true, exp = true;
		uint64_t rt;
		int last = n - 1;

		if (n < 2)
			return fail(s, err, size,
				    "usage: vpn-target RT... [both|import-extcommunity|export-extcommunity]");
		if (strcmp(t[last], "import-extcommunity") == 0) {
			exp = false;
			last--;
		} else if (strcmp(t[last], "export-extcommunity") == 0) {
			imp = false;
			last--;
		} else if (strcmp(t[last], "both") == 0) {
			last--;
		}
		if (last < 1)
			return fail(s, err, size, "vpn-target needs a route target");
		if (!in->has_rd)
			return fail(s, err, size,
				    "configure route-distinguisher before vpn-target");
		for (int i = 1; i <= last; i++)
			if (!bgp_rt_parse(t[i], &rt))
				return fail(s, err, size, "bad vpn-target %s", t[i]);
		for (int i = 1; i <= last; i++) {
			bgp_rt_parse(t[i], &rt);
			if (undo) {
				if (imp)
					del_rt(in->import_rt, &in->n_import, rt);
				if (exp)
					del_rt(in->export_rt, &in->n_export, rt);
				continue;
			}
			if ((imp && !add_rt(in->import_rt, &in->n_import, rt)) ||
			    (exp && !add_rt(in->export_rt, &in->n_export, rt)))
				return fail(s, err, size, "at most %d vpn-targets per direction",
					    CFG_MAX_RTS);
		}
		return CFG_DONE;
	}
	if (strcmp(t[0], "vrf") == 0) {
		if (undo) {
			in->vrf[0] = '\0';
			return CFG_DONE;
		}
		if (n != 2)
			return fail(s, err, size, "usage: vrf DEVICE");
		if (strlen(t[1]) > CFG_IFNAME_MAX)
			return fail(s, err, size, "vrf device name %s longer than %d characters",
				    t[1], CFG_IFNAME_MAX);
		strcpy(in->vrf, t[1]);
		return CFG_DONE;
	}
	if (strcmp(t[0], "load-balance") == 0) {
		if (undo) {
			in->lb_packet = false;
			return CFG_DONE;
		}
		if (n != 2 || (strcmp(t[1], "packet") && strcmp(t[1], "flow")))
			return fail(s, err, size, "usage: load-balance packet|flow");
		in->lb_packet = strcmp(t[1], "packet") == 0;
		return CFG_DONE;
	}
	return NOT_HERE;
}

static enum cfg_result bgp_instance_cmd(struct cfg_session *s, char **t, int n,
					bool undo, char *err, size_t size)
{
	struct cfg_instance *in = cfg_find_instance(&s->cand, s->inst);

	if (!in)
		return fail(s, err, size, "vpn-instance %s no longer exists", s->inst);
	if (strcmp(t[0], "maximum") == 0 && n >= 2 &&
	    strcmp(t[1], "load-balancing") == 0) {
		unsigned int *target = &in->max_paths;
		uint32_t v;
		int i = 2;

		if (i < n && strcmp(t[i], "ebgp") == 0) {
			target = &in->max_ebgp;
			i++;
		} else if (i < n && strcmp(t[i], "ibgp") == 0) {
			target = &in->max_ibgp;
			i++;
		}
		if (undo) {
			if (i != n)
				return fail(s, err, size,
					    "usage: undo maximum load-balancing [ebgp|ibgp]");
			*target = 0;
			return CFG_DONE;
		}
		if (i != n - 1)
			return fail(s, err, size,
				    "usage: maximum load-balancing [ebgp|ibgp] NUMBER");
		if (!parse_u32(t[i], 1, CFG_MAX_PATHS, &v))
			return fail(s, err, size,
				    "maximum load-balancing %s out of range 1..%d",
				    t[i], CFG_MAX_PATHS);
		*target = v;
		return CFG_DONE;
	}
	if (strcmp(t[0], "load-balancing") == 0) {
		if (n != 2 || (strcmp(t[1], "as-path-ignore") &&
			       strcmp(t[1], "as-path-relax")))
			return fail(s, err, size,
				    "usage: load-balancing as-path-ignore|as-path-relax");
		if (strcmp(t[1], "as-path-ignore") == 0)
			in->as_path_ignore = !undo;
		else
			in->as_path_relax = !undo;
		return CFG_DONE;
	}
	return NOT_HERE;
}

static enum cfg_result bgp_cmd(struct cfg_session *s, char **t, int n,
			       bool undo, char *err, size_t size)
{
	struct config *c = &s->cand;
	struct cfg_peer *p;
	uint32_t addr, v;

	if (strcmp(t[0], "router-id") == 0) {
		if (undo) {
			c->router_id = 0;
			return CFG_DONE;
		}
		if (n != 2 || !parse_ip(t[1], &v) || v == 0)
			return fail(s, err, size, "bad router-id %s", n > 1 ? t[1] : "");
		c->router_id = v;
		return CFG_DONE;
	}
	if (strcmp(t[0], "ipv4-family") == 0 && !undo) {
		if (n == 2 && strcmp(t[1], "vpnv4") == 0) {
			s->view = CFG_VIEW_BGP_VPNV4;
			return CFG_DONE;
		}
		if (n == 3 && strcmp(t[1], "vpn-instance") == 0) {
			struct cfg_instance *in = cfg_find_instance(c, t[2]);

			if (!in)
				return fail(s, err, size, "unknown vpn-instance %s", t[2]);
			if (!in->has_rd)
				return fail(s, err, size,
					    "vpn-instance %s has no route-distinguisher",
					    t[2]);
			in->bgp_af = true;
			strcpy(s->inst, in->name);
			s->view = CFG_VIEW_BGP_INSTANCE;
			return CFG_DONE;
		}
		return fail(s, err, size,
			    "usage: ipv4-family vpnv4 | ipv4-family vpn-instance NAME");
	}
	if (strcmp(t[0], "ipv4-family") == 0 && undo && n == 3 &&
	    strcmp(t[1], "vpn-instance") == 0) {
		struct cfg_instance *in = cfg_find_instance(c, t[2]);

		if (!in)
			return fail(s, err, size, "unknown vpn-instance %s", t[2]);
		in->bgp_af = false;
		in->max_paths = in->max_ebgp = in->max_ibgp = 0;
		in->as_path_ignore = in->as_path_relax = false;
		return CFG_DONE;
	}
	if (strcmp(t[0], "peer") != 0)
		return NOT_HERE;
	if (n < 2 || !parse_ip(t[1], &addr))
		return fail(s, err, size, "bad peer address %s", n > 1 ? t[1] : "");
	p = cfg_find_peer(c, addr);
	if (s->view == CFG_VIEW_BGP_VPNV4 && n == 3 && strcmp(t[2], "enable") == 0) {
		if (!p)
			return fail(s, err, size,
				    "peer %s has no as-number; configure it in the bgp view first",
				    t[1]);
		p->vpnv4 = !undo;
		return CFG_DONE;
	}
	if (undo && n == 2) {
		if (!p)
			return fail(s, err, size, "unknown peer %s", t[1]);
		*p = c->peers[--c->n_peers];
		return CFG_DONE;
	}
	if (s->view != CFG_VIEW_BGP)
		return NOT_HERE;
	if (n == 4 && strcmp(t[2], "as-number") == 0 && !undo) {
		if (!parse_u32(t[3], 1, UINT32_MAX, &v))
			return fail(s, err, size, "bad as-number %s", t[3]);
		if (!p) {
			if (c->n_peers == CFG_MAX_PEERS)
				return fail(s, err, size, "at most %d peers", CFG_MAX_PEERS);
			p = &c->peers[c->n_peers++];
			memset(p, 0, sizeof(*p));
			p->addr = addr;
		}
		p->as = v;
		return CFG_DONE;
	}
	if (n >= 3 && strcmp(t[2], "connect-interface") == 0) {
		if (!p)
			return fail(s, err, size, "unknown peer %s", t[1]);
		if (undo) {
			p->connect_if = 0;
			p->connect_ifname[0] = '\0';
			return CFG_DONE;
		}
		if (n == 4 && parse_ip(t[3], &v)) {
			p->connect_if = v;
			p->connect_ifname[0] = '\0';
			return CFG_DONE;
		}
		if ((n != 4 && n != 5) || (n == 5 && !parse_ip(t[4], &v)))
			return fail(s, err, size,
				    "usage: peer ADDRESS connect-interface {LOCAL-ADDRESS | INTERFACE [LOCAL-ADDRESS]}");
		if (!valid_ifname(t[3]))
			return fail(s, err, size,
				    "invalid interface name %s (1 to %d characters, no '/', ':' or spaces)",
				    t[3], CFG_IFNAME_MAX);
		strcpy(p->connect_ifname, t[3]);
		p->connect_if = n == 5 ? v : 0;
		return CFG_DONE;
	}
	return fail(s, err, size, "unrecognized peer command");
}

static enum cfg_result system_cmd(struct cfg_session *s, char **t, int n,
				  bool undo, char *err, size_t size)
{
	struct config *c = &s->cand;
	uint32_t as;

	if (strcmp(t[0], "ip") == 0 && n == 3 && strcmp(t[1], "vpn-instance") == 0) {
		struct cfg_instance *in = cfg_find_instance(c, t[2]);

		if (undo) {
			if (!in)
				return fail(s, err, size, "unknown vpn-instance %s", t[2]);
			*in = c->inst[--c->n_inst];
			return CFG_DONE;
		}
		if (strlen(t[2]) > CFG_NAME_MAX)
			return fail(s, err, size,
				    "vpn-instance name %s longer than %d characters",
				    t[2], CFG_NAME_MAX);
		if (!in) {
			if (c->n_inst == CFG_MAX_INSTANCES)
				return fail(s, err, size, "at most %d vpn-instances",
					    CFG_MAX_INSTANCES);
			in = &c->inst[c->n_inst++];
			memset(in, 0, sizeof(*in));
			strcpy(in->name, t[2]);
		}
		strcpy(s->inst, in->name);
		s->view = CFG_VIEW_INSTANCE;
		return CFG_DONE;
	}
	if (strcmp(t[0], "bgp") == 0) {
		if (n != 2 || !parse_u32(t[1], 1, UINT32_MAX, &as))
			return fail(s, err, size, "usage: bgp AS-NUMBER (1..4294967295)");
		if (undo) {
			if (!c->bgp || c->as != as)
				return fail(s, err, size, "bgp %s is not configured", t[1]);
			c->bgp = false;
			c->as = 0;
			c->router_id = 0;
			c->n_peers = 0;
			for (unsigned int i = 0; i < c->n_inst; i++) {
				c->inst[i].bgp_af = false;
				c->inst[i].max_paths = c->inst[i].max_ebgp =
					c->inst[i].max_ibgp = 0;
			}
			return CFG_DONE;
		}
		if (c->bgp && c->as != as)
			return fail(s, err, size, "bgp %u is already running; undo it first",
				    c->as);
		c->bgp = true;
		c->as = as;
		s->view = CFG_VIEW_BGP;
		return CFG_DONE;
	}
	return NOT_HERE;
}

static enum cfg_result in_view(struct cfg_session *s, enum cfg_view v, char **t,
			       int n, bool undo, char *err, size_t size)
{
	switch (v) {
	case CFG_VIEW_INSTANCE:
	case CFG_VIEW_INSTANCE_AF:
		return instance_cmd(s, t, n, undo, err, size);
	case CFG_VIEW_BGP_INSTANCE:
		return bgp_instance_cmd(s, t, n, undo, err, size);
	case CFG_VIEW_BGP_VPNV4:
	case CFG_VIEW_BGP:
		return bgp_cmd(s, t, n, undo, err, size);
	case CFG_VIEW_SYSTEM:
		return system_cmd(s, t, n, undo, err, size);
	default:
		return NOT_HERE;
	}
}

static enum cfg_view parent(enum cfg_view v)
{
	switch (v) {
	case CFG_VIEW_INSTANCE_AF:
		return CFG_VIEW_INSTANCE;
	case CFG_VIEW_BGP_VPNV4:
	case CFG_VIEW_BGP_INSTANCE:
		return CFG_VIEW_BGP;
	case CFG_VIEW_INSTANCE:
	case CFG_VIEW_BGP:
		return CFG_VIEW_SYSTEM;
	default:
		return CFG_VIEW_USER;
	}
}

enum cfg_result cfg_session_line(struct cfg_session *s, const char *line,
				 char *err, size_t err_size)
{
	char buf[512];
	char *t[MAX_TOKENS];
	enum cfg_view v, saved = s->view;
	bool undo = false;
	int n;

	s->line++;
	err[0] = '\0';
	if (strlen(line) >= sizeof(buf))
		return fail(s, err, err_size, "line too long");
	strcpy(buf, line);
	n = tokenize(buf, t);
	if (n < 0)
		return fail(s, err, err_size, "too many words");
	if (n == 0 || t[0][0] == '#' || t[0][0] == '!')
		return CFG_DONE;
	if (strcmp(t[0], "display") == 0 || strcmp(t[0], "save") == 0)
		return CFG_OTHER;
	if (strcmp(t[0], "system-view") == 0 && n == 1) {
		if (s->view == CFG_VIEW_USER)
			s->view = CFG_VIEW_SYSTEM;
		return CFG_DONE;
	}
	if (strcmp(t[0], "return") == 0 && n == 1) {
		s->view = CFG_VIEW_USER;
		return CFG_DONE;
	}
	if (strcmp(t[0], "quit") == 0 && n == 1) {
		s->view = parent(s->view);
		return CFG_DONE;
	}
	if (strcmp(t[0], "commit") == 0 && n == 1) {
		if (s->view == CFG_VIEW_USER)
			return fail(s, err, err_size, "commit works in system-view");
		return CFG_COMMIT;
	}
	if (n == 3 && strcmp(t[0], "clear") == 0 && strcmp(t[1], "configuration") == 0 &&
	    strcmp(t[2], "candidate") == 0)
		return CFG_OTHER;
	if (s->view == CFG_VIEW_USER)
		return fail(s, err, err_size,
			    "unrecognized command \"%s\" in user view (enter system-view first)",
			    t[0]);
	if (strcmp(t[0], "undo") == 0) {
		undo = true;
		if (--n == 0)
			return fail(s, err, err_size, "undo what?");
		memmove(t, t + 1, (size_t)n * sizeof(*t));
	}
	/* like VRP: a command unknown in this view is tried in the views above */
	for (v = s->view; v != CFG_VIEW_USER; v = parent(v)) {
		enum cfg_result r;

		/* a command of a parent view leaves the views below it */
		s->view = v;
		r = in_view(s, v, t, n, undo, err, err_size);
		if (r != NOT_HERE) {
			if (r == CFG_ERROR)
				s->view = saved;
			return r;
		}
	}
	s->view = saved;
	return fail(s, err, err_size, "unrecognized command \"%s\"", t[0]);
}

bool cfg_validate(const struct config *c, char *err, size_t size)
{
	for (unsigned int i = 0; i < c->n_inst; i++) {
		const struct cfg_instance *in = &c->inst[i];

		if (in->bgp_af && !in->has_rd) {
			snprintf(err, size, "vpn-instance %s: ipv4-family vpn-instance needs a route-distinguisher",
				 in->name);
			return false;
		}
	}
	for (unsigned int i = 0; i < c->n_peers; i++) {
		if (c->peers[i].vpnv4 && !c->router_id && c->bgp) {
			snprintf(err, size, "bgp %u: peers are enabled but router-id is not set",
				 c->as);
			return false;
		}
	}
	return true;
}

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? room : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if (b->p && (size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		{
			size_t cap = (b->cap + (size_t)n + 1) * 2;
			char *q = realloc(b->p, cap);

			if (!q) {
				b->oom = true;
				return;
			}
			b->p = q;
			b->cap = cap;
		}
	}
}

static const char *ipstr(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
		 (a >> 8) & 255, a & 255);
	return buf;
}

char *cfg_format(const struct config *c)
{
	struct sbuf b = { 0 };
	char a[16], x[40];

	for (unsigned int i = 0; i < c->n_inst; i++) {
		const struct cfg_instance *in = &c->inst[i];

		sb_printf(&b, "#\nip vpn-instance %s\n", in->name);
		if (in->af_ipv4 || in->has_rd) {
			sb_printf(&b, " ipv4-family\n");
			if (in->has_rd) {
				bgp_rd_format(in->rd, x, sizeof(x));
				sb_printf(&b, "  route-distinguisher %s\n", x);
			}
			for (unsigned int k = 0; k < in->n_export; k++) {
				bgp_rt_format(in->export_rt[k], x, sizeof(x));
				sb_printf(&b, "  vpn-target %s export-extcommunity\n", x);
			}
			for (unsigned int k = 0; k < in->n_import; k++) {
				bgp_rt_format(in->import_rt[k], x, sizeof(x));
				sb_printf(&b, "  vpn-target %s import-extcommunity\n", x);
			}
		}
		if (in->vrf[0])
			sb_printf(&b, " vrf %s\n", in->vrf);
		if (in->lb_packet)
			sb_printf(&b, " load-balance packet\n");
	}
	if (c->bgp) {
		bool any_vpnv4 = false;

		sb_printf(&b, "#\nbgp %u\n", c->as);
		if (c->router_id)
			sb_printf(&b, " router-id %s\n", ipstr(c->router_id, a));
		for (unsigned int i = 0; i < c->n_peers; i++) {
			const struct cfg_peer *p = &c->peers[i];

			sb_printf(&b, " peer %s as-number %u\n", ipstr(p->addr, a), p->as);
			if (p->connect_ifname[0] && p->connect_if) {
				char l[16];

				sb_printf(&b, " peer %s connect-interface %s %s\n",
					  ipstr(p->addr, a), p->connect_ifname,
					  ipstr(p->connect_if, l));
			} else if (p->connect_ifname[0]) {
				sb_printf(&b, " peer %s connect-interface %s\n",
					  ipstr(p->addr, a), p->connect_ifname);
			} else if (p->connect_if) {
				char l[16];

				sb_printf(&b, " peer %s connect-interface %s\n",
					  ipstr(p->addr, a), ipstr(p->connect_if, l));
			}
			any_vpnv4 |= p->vpnv4;
		}
		if (any_vpnv4) {
			sb_printf(&b, " #\n ipv4-family vpnv4\n");
			for (unsigned int i = 0; i < c->n_peers; i++)
				if (c->peers[i].vpnv4)
					sb_printf(&b, "  peer %s enable\n",
						  ipstr(c->peers[i].addr, a));
		}
		for (unsigned int i = 0; i < c->n_inst; i++) {
			const struct cfg_instance *in = &c->inst[i];

			if (!in->bgp_af)
				continue;
			sb_printf(&b, " #\n ipv4-family vpn-instance %s\n", in->name);
			if (in->max_paths)
				sb_printf(&b, "  maximum load-balancing %u\n", in->max_paths);
			if (in->max_ebgp)
				sb_printf(&b, "  maximum load-balancing ebgp %u\n", in->max_ebgp);
			if (in->max_ibgp)
				sb_printf(&b, "  maximum load-balancing ibgp %u\n", in->max_ibgp);
			if (in->as_path_ignore)
				sb_printf(&b, "  load-balancing as-path-ignore\n");
			if (in->as_path_relax)
				sb_printf(&b, "  load-balancing as-path-relax\n");
		}
	}
	sb_printf(&b, "#\nreturn\n");
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

const char *cfg_view_name(const struct cfg_session *s, char *buf, size_t size)
{
	switch (s->view) {
	case CFG_VIEW_USER:
		snprintf(buf, size, "user");
		break;
	case CFG_VIEW_SYSTEM:
		snprintf(buf, size, "system");
		break;
	case CFG_VIEW_INSTANCE:
		snprintf(buf, size, "vpn-instance-%s", s->inst);
		break;
	case CFG_VIEW_INSTANCE_AF:
		snprintf(buf, size, "vpn-instance-%s-af-ipv4", s->inst);
		break;
	case CFG_VIEW_BGP:
		snprintf(buf, size, "bgp");
		break;
	case CFG_VIEW_BGP_VPNV4:
		snprintf(buf, size, "bgp-af-vpnv4");
		break;
	case CFG_VIEW_BGP_INSTANCE:
		snprintf(buf, size, "bgp-%s", s->inst);
		break;
	}
	return buf;
}
