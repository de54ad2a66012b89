/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parse, judge and fix one config: what `fix`, the precreate hook and the
 * runtime wrapper share, so the config a runtime receives is exactly what
 * `fix` writes.
 */
#ifndef OH_HARDEN_H
#define OH_HARDEN_H

#include <stdbool.h>

#include "policy.h"
#include "rules.h"
#include "spec.h"

struct harden {
	struct spec s;
	struct decision d;   /* the judgement before fixing */
	bool pretty;         /* tab-indented output (files), else compact */
};

/*
 * Takes ownership of buf.  On success h->d holds the verdict; a fixable
 * config has been fixed in place.  When scan_bundle is not NULL and the
 * policy turns the rootfs scan on, the rootfs (root.path, relative to
 * scan_bundle) is walked before the verdict.  Returns -1 on error.
 */
int harden_run(struct harden *h, char *buf, size_t len, const char *source,
	       const struct policy *p, const char *scan_bundle,
	       struct oh_error *err);
/* An oh_producer: writes the (fixed) config to fd. */
int harden_produce(int fd, void *ctx, struct oh_error *err);
void harden_free(struct harden *h);

#endif
