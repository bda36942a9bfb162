/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Leveled logging to stderr or syslog. */
#ifndef VPNLBD_LOG_H
#define VPNLBD_LOG_H

#include <stdbool.h>
#include <syslog.h>

/* Levels are syslog's: LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG */
void log_init(const char *ident, bool use_syslog, int max_level);
void log_set_level(int max_level);
int log_level_parse(const char *name);	/* -1 if unknown */
void log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(LOG_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif /* VPNLBD_LOG_H */
