// SPDX-License-Identifier: GPL-2.0
/*
 * vpnlb: load balancing among IPv4 VPN routes (RFC 4364) on a Linux PE.
 *
 * Module and network namespace lifetime, and the events that change a
 * tunnel's state: its egress device going down or away, its gateway's
 * neighbour entry failing, and VRF devices going away with their instances.
 */
#include <linux/module.h>
#include <linux/random.h>
#include <net/arp.h>
#include <net/netevent.h>

#include "vpnlb.h"
#include "core/core_selftest.h"

unsigned int vpnlb_net_id __read_mostly;

static void vpnlb_state_work(struct work_struct *work)
{
	struct vpnlb_net *vn = container_of(work, struct vpnlb_net, state_work);

	mutex_lock(&vn->lock);
	vpnlb_tunnels_refresh(vn);
	mutex_unlock(&vn->lock);
}

static int __net_init vpnlb_net_init(struct net *net)
{
	struct vpnlb_net *vn = vpnlb_net(net);

	mutex_init(&vn->lock);
	hash_init(vn->inst_by_name);
	xa_init_flags(&vn->instances, XA_FLAGS_ALLOC);
	xa_init(&vn->inst_by_table);
	xa_init(&vn->tunnels);
	xa_init(&vn->nexthops);
	xa_init(&vn->groups);
	xa_init_flags(&vn->fwd, XA_FLAGS_ALLOC1);
	vn->hash_seed = get_random_u32();
	INIT_WORK(&vn->state_work, vpnlb_state_work);
	vn->net = net;
	return vpnlb_datapath_register(net);
}

/*
 * No neighbour event may queue the work once exit has cancelled it: the
 * netns core waits for an RCU grace period between pre_exit and exit.
 */
static void __net_exit vpnlb_net_pre_exit(struct net *net)
{
	WRITE_ONCE(vpnlb_net(net)->dead, true);
}

static void __net_exit vpnlb_net_exit(struct net *net)
{
	struct vpnlb_net *vn = vpnlb_net(net);

	cancel_work_sync(&vn->state_work);
	vpnlb_datapath_unregister(net);

	mutex_lock(&vn->lock);
	vpnlb_net_flush_all(vn);
	mutex_unlock(&vn->lock);
	xa_destroy(&vn->instances);
	xa_destroy(&vn->inst_by_table);
	xa_destroy(&vn->tunnels);
	xa_destroy(&vn->nexthops);
	xa_destroy(&vn->groups);
	xa_destroy(&vn->fwd);
	mutex_destroy(&vn->lock);
}

static struct pernet_operations vpnlb_net_ops = {
	.init = vpnlb_net_init,
	.pre_exit = vpnlb_net_pre_exit,
	.exit = vpnlb_net_exit,
	.id = &vpnlb_net_id,
	.size = sizeof(struct vpnlb_net),
};

static void vpnlb_vrf_gone(struct vpnlb_net *vn, struct net_device *dev)
{
	struct vpnlb_instance *inst;
	unsigned long id;

	xa_for_each(&vn->instances, id, inst) {
		if (inst->vrf_ifindex != dev->ifindex)
			continue;
		vpnlb_notify_instance(vn, inst, VPNLB_CMD_INSTANCE_DEL);
		vpnlb_instance_del(vn, inst);
	}
}

static int vpnlb_netdev_event(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct vpnlb_net *vn = vpnlb_net(dev_net(dev));

	if (!vn || !vn->net)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		mutex_lock(&vn->lock);
		vpnlb_tunnels_refresh(vn);
		mutex_unlock(&vn->lock);
		break;
	case NETDEV_UNREGISTER:
		mutex_lock(&vn->lock);
		if (netif_is_l3_master(dev))
			vpnlb_vrf_gone(vn, dev);
		vpnlb_tunnels_detach_dev(vn, dev);
		mutex_unlock(&vn->lock);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block vpnlb_netdev_nb = {
	.notifier_call = vpnlb_netdev_event,
};

/* Atomic context: the state is re-read from a work item. */
static int vpnlb_netevent(struct notifier_block *nb, unsigned long event,
			  void *ptr)
{
	struct neighbour *n = ptr;
	struct vpnlb_net *vn;

	if (event != NETEVENT_NEIGH_UPDATE || n->tbl != &arp_tbl || !n->dev)
		return NOTIFY_DONE;
	vn = vpnlb_net(dev_net(n->dev));
	rcu_read_lock();
	if (vn && vn->net && !READ_ONCE(vn->dead) &&
	    !xa_empty(&vn->tunnels))
		schedule_work(&vn->state_work);
	rcu_read_unlock();
	return NOTIFY_DONE;
}

static struct notifier_block vpnlb_netevent_nb = {
	.notifier_call = vpnlb_netevent,
};

static int __init vpnlb_init(void)
{
	int err;

	err = vpnlb_core_selftest();
	if (err) {
		pr_err("vpnlb: FIB core self-test failed: %d\n", err);
		return err;
	}
	err = register_pernet_subsys(&vpnlb_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&vpnlb_netdev_nb);
	if (err)
		goto err_pernet;
	err = register_netevent_notifier(&vpnlb_netevent_nb);
	if (err)
		goto err_netdev;
	err = vpnlb_genl_register();
	if (err)
		goto err_netevent;
	return 0;

err_netevent:
	unregister_netevent_notifier(&vpnlb_netevent_nb);
err_netdev:
	unregister_netdevice_notifier(&vpnlb_netdev_nb);
err_pernet:
	unregister_pernet_subsys(&vpnlb_net_ops);
	rcu_barrier();
	return err;
}

static void __exit vpnlb_exit(void)
{
	vpnlb_genl_unregister();
	unregister_netevent_notifier(&vpnlb_netevent_nb);
	unregister_netdevice_notifier(&vpnlb_netdev_nb);
	unregister_pernet_subsys(&vpnlb_net_ops);
	/* Let the last RCU callbacks (device references, frees) run. */
	rcu_barrier();
}

module_init(vpnlb_init);
module_exit(vpnlb_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Load balancing among IPv4 VPN routes with MPLS labels");
MODULE_ALIAS_GENL_FAMILY(VPNLB_GENL_NAME);
