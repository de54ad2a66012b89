/* SPDX-License-Identifier: Apache-2.0 */
#include "harden.h"

#include <errno.h>
#include <string.h>

#include "host.h"
#include "json.h"
#include "rootfs.h"

int harden_run(struct harden *h, char *buf, size_t len, const char *source,
	       const struct policy *p, const char *scan_bundle,
	       struct oh_error *err)
{
	memset(h, 0, sizeof(*h));
	h->pretty = true;
	if (spec_parse(buf, len, source, &h->s, err) < 0)
		return -1;
	if (rules_evaluate(&h->s, p, host_facts(), &h->d, err) < 0)
		goto fail;
	if (scan_bundle != NULL && p->rootfs_scan &&
	    rootfs_scan(&h->s, scan_bundle, p, &h->d, NULL, err) < 0)
		goto fail;
	if (h->d.verdict == V_FIXABLE && rules_fix(&h->s, p, host_facts(), &h->d, err) < 0)
		goto fail;
	return 0;
fail:
	harden_free(h);
	return -1;
}

int harden_produce(int fd, void *ctx, struct oh_error *err)
{
	struct harden *h = ctx;
	struct jsink *s = jsink_fd(fd);
	int rc;

	json_write(s, h->s.root, h->pretty);
	rc = jsink_finish(s);
	jsink_free(s);
	if (rc < 0)
		return oh_err(err, errno, "cannot write the config");
	return 0;
}

void harden_free(struct harden *h)
{
	decision_free(&h->d);
	spec_free(&h->s);
}
