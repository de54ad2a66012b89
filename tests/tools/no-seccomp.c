/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A libseccomp.so.N that holds none of libseccomp's functions: with its
 * directory first in LD_LIBRARY_PATH, oci-harden's first call into
 * libseccomp (hook/scload.c opens it on first use) cannot be bound, as
 * with a library of another ABI.  For the tests of that failure.
 */
int oh_not_libseccomp;
