/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The side-door rules as a table: a config snippet, a policy, the verdict
 * and the rules that must and must not fire.  Then the fixes.
 */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "checks_mountkinds.h"
#include "host.h"
#include "paths.h"
#include "policy.h"
#include "rules.h"
#include "spec.h"
#include "util.h"

#include "testutil.h"

/* A config that passes every rule, with X added at the top level and L in
 * "linux"; ' stands for ". */
#define PROC "{'destination':'/proc','type':'proc','source':'proc'}"
#define SYSRO "{'destination':'/sys','type':'sysfs','source':'sysfs','options':['nosuid','ro']}"
#define RO "'readonlyPaths':['/proc/asound','/proc/bus','/proc/fs','/proc/irq','/proc/sys'," \
	"'/proc/sysrq-trigger']"
#define MASKED "'maskedPaths':['/proc/acpi','/proc/kcore','/proc/keys','/proc/latency_stats'," \
	"'/proc/timer_list','/proc/timer_stats','/proc/sched_debug','/proc/scsi','/sys/firmware']"
#define NS "'namespaces':[{'type':'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'},{'type':'mount'}]"
#define SECCOMP "'seccomp':{'defaultAction':'SCMP_ACT_ERRNO'}"
#define PROCESS "'noNewPrivileges':true,'user':{'uid':1000,'gid':1000}"
#define CFGP(P, L, X) "{'ociVersion':'1.0.2','process':{" PROCESS P "},'root':{'path':'rootfs'," \
	"'readonly':true},'linux':{" SECCOMP "," NS L "}" X "}"
#define CFG(L, X) CFGP("", L, X)
/* Rootless runc: a user namespace of its own in which no uid is host root. */
#define ROOTLESS(X) "{'ociVersion':'1.0.2','process':{" PROCESS "},'root':{'path':'rootfs'," \
	"'readonly':true},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'},{'type':'network'}," \
	"{'type':'ipc'},{'type':'uts'},{'type':'mount'},{'type':'user'}],'uidMappings':" \
	"[{'containerID':0,'hostID':1000,'size':1}],'gidMappings':[{'containerID':0," \
	"'hostID':1000,'size':1}]," RO "," MASKED "}" X "}"
/* Rootless runc with linux.devices D: runc binds each device's path from
 * the host. */
#define USERNS_DEVICES(D) "{'ociVersion':'1.0.2','process':{" PROCESS "},'root':{'path':" \
	"'rootfs','readonly':true},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'}," \
	"{'type':'network'},{'type':'ipc'},{'type':'uts'},{'type':'mount'},{'type':'user'}]," \
	"'uidMappings':[{'containerID':0,'hostID':1000,'size':1}],'gidMappings':" \
	"[{'containerID':0,'hostID':1000,'size':1}],'devices':[" D "]}}"
#define GOOD CFG("," RO "," MASKED, ",'mounts':[" PROC "," SYSRO "]")
#define MOUNT(M) CFG("," RO "," MASKED, ",'mounts':[" PROC "," SYSRO "," M "]")
#define BIND(SRC) MOUNT("{'destination':'/x','type':'bind','source':'" SRC "','options':['rbind']}")
#define ANN(K) CFG("", ",'annotations':{'" K "':'x'}")
#define SYSCTL(K) CFG(",'sysctl':{'" K "':'1'}", "")
#define SYSCTL_NS(K, N) "{'process':{" PROCESS "},'linux':{" SECCOMP ",'namespaces':[" N "]," \
	"'sysctl':{'" K "':'1'}}}"
#define HOOK(STAGE, H) CFG("", ",'hooks':{'" STAGE "':[" H "]}")
#define NODIRS "{'hooks':{'dirs':[]}}"
/* For the hook-loader-env cases: the hooks themselves only reported. */
#define HOOKSWARN "{'hooks':{'dirs':[]},'rules':{'config-hooks':'warn'}}"
/* Docker's libnetwork-setkey hook as moby writes it, of executable P. */
#define SETKEY(P, X) "{'path':'" P "','args':['libnetwork-setkey','-exec-root=/run/docker'," \
	"'" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" "'," \
	"'0123456789ab']" X "}"
#define LDENV(H) CFGP(",'env':['PATH=/bin','LD_PRELOAD=/tmp/evil.so']", "", \
	",'hooks':{'createContainer':[" H "]}")
#define CWD(D) CFGP(",'cwd':'" D "'", "", "")

struct scase {
	const char *name;
	const char *config;
	const char *policy;   /* NULL: the defaults */
	enum verdict verdict;
	const char *fires;
	const char *silent;
	const char *error;    /* V_ERROR: part of the message */
};

static const struct scase cases[] = {
	{ "a confined config", GOOD, NULL, V_COMPLIANT, "",
	  "kernel-paths sensitive-mounts host-devices config-hooks hook-loader-env cwd-fd "
	  "unsafe-annotations sysctl-unsafe sysctl-host host-namespaces", NULL },

	/* kernel-paths */
	{ "readonlyPaths emptied (unmask=ALL)",
	  CFG(",'readonlyPaths':[]," MASKED, ",'mounts':[" PROC "]"), NULL, V_FIXABLE,
	  "kernel-paths", "masked-paths-removed", NULL },
	{ "maskedPaths emptied", CFG("," RO ",'maskedPaths':[]", ",'mounts':[" PROC "," SYSRO "]"),
	  NULL, V_FIXABLE, "kernel-paths masked-paths-removed", "", NULL },
	{ "lists absent", CFG("", ",'mounts':[" PROC "]"), NULL, V_FIXABLE, "kernel-paths", "", NULL },
	{ "masking /proc covers what is under it",
	  CFG(",'maskedPaths':['/proc']", ",'mounts':[" PROC "]"), NULL, V_COMPLIANT, "",
	  "kernel-paths", NULL },
	{ "/proc/asound masked instead of read-only (runc's way)",
	  CFG(",'readonlyPaths':['/proc/bus','/proc/fs','/proc/irq','/proc/sys','/proc/sysrq-trigger'],"
	      "'maskedPaths':['/proc/asound','/proc/acpi','/proc/kcore','/proc/keys',"
	      "'/proc/latency_stats','/proc/timer_list','/proc/timer_stats','/proc/sched_debug',"
	      "'/proc/scsi','/sys/firmware']", ",'mounts':[" PROC "]"),
	  NULL, V_COMPLIANT, "", "kernel-paths", NULL },
	{ "a read-only /proc/sys spelled through /proc/thread-self/.. covers nothing",
	  CFG(",'readonlyPaths':['/proc/asound','/proc/bus','/proc/fs','/proc/irq',"
	      "'/proc/thread-self/../sys','/proc/sysrq-trigger']," MASKED, ",'mounts':[" PROC "]"),
	  NULL, V_FIXABLE, "kernel-paths", "", NULL },
	{ "a mask of /proc spelled /proc/thread-self/.. covers nothing",
	  CFG("," RO ",'maskedPaths':['/proc/thread-self/..']", ",'mounts':[" PROC "]"), NULL,
	  V_FIXABLE, "kernel-paths", "", NULL },
	{ "a read-only /proc/sys spelled //proc/./sys/ still covers it",
	  CFG(",'readonlyPaths':['/proc/asound','/proc/bus','/proc/fs','/proc/irq',"
	      "'//proc/./sys/','/proc/sysrq-trigger']," MASKED, ",'mounts':[" PROC "]"),
	  NULL, V_COMPLIANT, "", "kernel-paths", NULL },
	{ "a name with dots is not ..", CFG("," RO ",'maskedPaths':['/proc/..x','/proc']",
					   ",'mounts':[" PROC "]"), NULL, V_COMPLIANT, "",
	  "kernel-paths", NULL },
	{ "no proc mount: no /proc/sys to protect", CFG(",'readonlyPaths':[]", ""), NULL,
	  V_COMPLIANT, "", "kernel-paths", NULL },
	{ "sysfs only: /sys/firmware judged", CFG(",'maskedPaths':[]", ",'mounts':[" SYSRO "]"),
	  NULL, V_FIXABLE, "kernel-paths", "", NULL },
	{ "policy: kernel-paths deny", CFG(",'readonlyPaths':[]," MASKED, ",'mounts':[" PROC "]"),
	  "{'rules':{'kernel-paths':'deny'}}", V_DENIED, "kernel-paths", "", NULL },

	/* sensitive-mounts */
	{ "bind of the host's /", BIND("/"), NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "bind of //etc/. spelled oddly", BIND("//etc/."), NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "read-only bind of /etc is still the host's /etc",
	  MOUNT("{'destination':'/x','type':'bind','source':'/etc','options':['rbind','ro']}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "a writable bind below /etc: the host runs its cron.d as root", BIND("/etc/cron.d"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "a writable bind of a file below /etc", BIND("/etc/ld.so.preload"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "a writable bind below /usr", BIND("/usr/lib/x86_64-linux-gnu"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "a writable bind of root's crontabs", BIND("/var/spool/cron/crontabs"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "a read-only bind below /etc (kubelet's /etc/ssl/certs)",
	  MOUNT("{'destination':'/etc/ssl/certs','type':'bind','source':'/etc/ssl/certs',"
		"'options':['rbind','rprivate','ro']}"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "a read-only bind of a file below /etc",
	  MOUNT("{'destination':'/etc/localtime','type':'bind','source':'/etc/localtime',"
		"'options':['bind','ro']}"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "a name that only starts like /etc is not below it", BIND("/etcetera-oh-test"), NULL,
	  V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "bind of /var holds /var/lib/kubelet", BIND("/var"), NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "docker socket under /var/run", BIND("/var/run/docker.sock"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "containerd socket", BIND("/run/containerd/containerd.sock"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "a host process's root under /proc", BIND("/proc/1/root"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "type none with rbind is a bind",
	  MOUNT("{'destination':'/x','type':'none','source':'/root','options':['rbind']}"), NULL,
	  V_DENIED, "sensitive-mounts", "", NULL },
	/* Read-only: a writable one writes the host's zoneinfo as root. */
	{ "/etc/localtime is below /etc, not /etc",
	  MOUNT("{'destination':'/x','type':'bind','source':'/etc/localtime','options':['rbind',"
		"'ro']}"), NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "a writable bind of /etc/localtime", BIND("/etc/localtime"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "a kubelet pod volume", BIND("/var/lib/kubelet/pods/0a/volumes/kubernetes.io~empty-dir/d"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	/* Without its bundle (a config on standard input, podman's
	 * precreate) where runc finds a relative source is not known. */
	{ "a relative source of a config without its bundle", BIND("data"), NULL, V_DENIED,
	  "sensitive-mounts host-devices", "", NULL },
	{ "a source with .. that stays where it was", BIND("/tmp/oh-none/../oh-none"), NULL,
	  V_DENIED, "sensitive-mounts host-devices", "", NULL },
	{ "a name with dots is no ..", BIND("/tmp/oh-none/..x/x..y"), NULL, V_COMPLIANT, "",
	  "sensitive-mounts host-devices", NULL },
	{ "read-only bind of /sys (rootless runc)",
	  ROOTLESS(",'mounts':[" PROC ",{'destination':'/sys','type':'none',"
		   "'source':'/sys','options':['rbind','nosuid','ro']}]"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts kernel-paths", NULL },
	/* runc makes only the top of an rbind read-only: the host's cgroup v1
	 * hierarchies below /sys/fs/cgroup stay writable to host root. */
	{ "read-only rbind of /sys without a user namespace",
	  CFG("," RO "," MASKED, ",'mounts':[" PROC ",{'destination':'/sys','type':'none',"
	      "'source':'/sys','options':['rbind','nosuid','ro']}]"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "recursively read-only rbind of /sys",
	  CFG("," RO "," MASKED, ",'mounts':[" PROC ",{'destination':'/sys','type':'none',"
	      "'source':'/sys','options':['rbind','nosuid','ro','rro']}]"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "read-only rbind of /sys with uid mappings but no user namespace",
	  CFGP("", "," RO "," MASKED ",'uidMappings':[{'containerID':0,'hostID':0,'size':1}]",
	       ",'mounts':[" PROC ",{'destination':'/sys','type':'none',"
	       "'source':'/sys','options':['rbind','nosuid','ro']}]"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "sysfs read-write", MOUNT("{'destination':'/sys2','type':'sysfs','source':'sysfs',"
				     "'options':['ro','rw']}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "proc outside /proc", MOUNT("{'destination':'/hostproc','type':'proc','source':'proc'}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "shared root propagation", CFG("," RO "," MASKED ",'rootfsPropagation':'rshared'", ""),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "private root propagation", CFG("," RO "," MASKED ",'rootfsPropagation':'rprivate'", ""),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "shared propagation on a volume",
	  MOUNT("{'destination':'/x','type':'bind','source':'/srv/x','options':['rbind','rshared']}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "policy: a sensitive path added", BIND("/srv/secrets"),
	  "{'mounts':{'sensitive':['/srv/secrets']}}", V_DENIED, "sensitive-mounts", "", NULL },
	{ "policy: a sensitive tree added", BIND("/srv/secrets/a/b"),
	  "{'mounts':{'sensitive':['/srv/**']}}", V_DENIED, "sensitive-mounts", "", NULL },
	{ "policy: the built-in list stays", BIND("/"),
	  "{'mounts':{'sensitive':['/srv']}}", V_DENIED, "sensitive-mounts", "", NULL },

	/* sensitive-mounts: mount entries judged by their kind (checks_mountkinds.c) */
	{ "binfmt_misc as a mount entry",
	  MOUNT("{'destination':'/mnt','type':'binfmt_misc','source':'binfmt_misc'}"), NULL,
	  V_DENIED, "sensitive-mounts", "host-devices", NULL },
	{ "tracefs as a mount entry, read-only",
	  MOUNT("{'destination':'/mnt','type':'tracefs','source':'x','options':['ro']}"), NULL,
	  V_DENIED, "sensitive-mounts", "", NULL },
	{ "cpuset as a mount entry",
	  MOUNT("{'destination':'/mnt','type':'cpuset','source':'cpuset'}"), NULL,
	  V_DENIED, "sensitive-mounts", "", NULL },
	{ "a bind of a source named tracefs is a bind, judged by its source",
	  MOUNT("{'destination':'/mnt','type':'tracefs','source':'/srv/tracefs','options':['bind']}"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "tmpfs with remount at /sys",
	  MOUNT("{'destination':'/sys','type':'tmpfs','source':'tmpfs','options':['remount']}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "a bind with remount,rw",
	  MOUNT("{'destination':'/x','type':'bind','source':'/srv/e','options':['bind','remount','rw']}"),
	  NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "Remount in another case is file-system data to the runtimes",
	  MOUNT("{'destination':'/x','type':'tmpfs','source':'tmpfs','options':['Remount']}"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "cgroup read-write", MOUNT("{'destination':'/sys/fs/cgroup','type':'cgroup',"
	  "'source':'cgroup','options':['nosuid','ro','rw']}"), NULL, V_DENIED,
	  "sensitive-mounts", "", NULL },
	{ "cgroup2 without options", MOUNT("{'destination':'/sys/fs/cgroup','type':'cgroup2',"
	  "'source':'cgroup2'}"), NULL, V_DENIED, "sensitive-mounts", "", NULL },
	{ "cgroup read-only (the engines' default)", MOUNT("{'destination':'/sys/fs/cgroup',"
	  "'type':'cgroup','source':'cgroup','options':['nosuid','noexec','nodev','relatime','ro']}"),
	  NULL, V_COMPLIANT, "", "sensitive-mounts", NULL },
	{ "cgroup2 read-only", MOUNT("{'destination':'/sys/fs/cgroup','type':'cgroup2',"
	  "'source':'cgroup2','options':['rw','ro']}"), NULL, V_COMPLIANT, "",
	  "sensitive-mounts", NULL },

	/* host-devices: device paths (checks_mountkinds.c) */
	{ "a device path with ..",
	  CFG(",'devices':[{'path':'/dev/../etc/shadow','type':'c','major':1,'minor':3}]", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "a device path outside /dev, no user namespace: runc makes the node in the rootfs",
	  CFG(",'devices':[{'path':'/tmp/null','type':'c','major':1,'minor':3}]", ""), NULL,
	  V_COMPLIANT, "", "host-devices", NULL },
	{ "a device path outside /dev in a user namespace: runc binds the host's file",
	  USERNS_DEVICES("{'path':'/etc/passwd','type':'c','major':1,'minor':3}"), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "/dev/null in a user namespace is the host's /dev/null",
	  USERNS_DEVICES("{'path':'/dev/null','type':'c','major':1,'minor':3}"), NULL,
	  V_COMPLIANT, "", "host-devices", NULL },
	{ "/dev/null in a user namespace named as another device",
	  USERNS_DEVICES("{'path':'/dev/null','type':'c','major':1,'minor':5}"), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "/dev/null in a user namespace as a block device",
	  USERNS_DEVICES("{'path':'/dev/null','type':'b','major':1,'minor':3}"), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "a device path below /dev spelled oddly in a user namespace",
	  USERNS_DEVICES("{'path':'/dev//null','type':'c','major':1,'minor':3}"), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "a device path not on the host, in a user namespace: runc's bind fails",
	  USERNS_DEVICES("{'path':'/dev/oh-no-such-device','type':'c','major':1,"
			 "'minor':3}"), NULL, V_COMPLIANT, "", "host-devices", NULL },

	/* host-devices */
	{ "a block device node",
	  CFG(",'devices':[{'path':'/dev/sda','type':'b','major':8,'minor':0}]", ""), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "/dev/mem", CFG(",'devices':[{'path':'/dev/mem','type':'c','major':1,'minor':1}]", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "/dev/kmsg under another name",
	  CFG(",'devices':[{'path':'/dev/log0','type':'c','major':1,'minor':11}]", ""), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "a major above 32 bits: runc and crun mknod its low 32 bits (1:11)",
	  CFG(",'devices':[{'path':'/dev/x','type':'c','major':4294967297,'minor':11}]", ""), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "a negative minor is another device to the runtimes",
	  CFG(",'devices':[{'path':'/dev/x','type':'c','major':10,'minor':-1}]", ""), NULL,
	  V_DENIED, "host-devices", "", NULL },
	{ "cgroup: a major below -1 is 1 to cgroup v2's 32-bit filter",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'c','major':-4294967295,'minor':11,'access':'rw'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: -1 is the wildcard of a rule that only allows mknod",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'c','major':-1,'minor':-1,'access':'m'}]}", ""),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	{ "/dev/fuse is fine", CFG(",'devices':[{'path':'/dev/fuse','type':'c','major':10,'minor':229}]", ""),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	{ "cgroup: allow all", CFG(",'resources':{'devices':[{'allow':true,'access':'rwm'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: allow block rw",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'b','major':8,'access':'rw'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: mknod of any block device only (Docker's default)",
	  CFG(",'resources':{'devices':[{'allow':false,'access':'rwm'},{'allow':true,'type':'b',"
	      "'access':'m'},{'allow':true,'type':'c','access':'m'},{'allow':true,'type':'c',"
	      "'major':1,'minor':3,'access':'rwm'},{'allow':true,'type':'c','major':136,'access':'rwm'}]}", ""),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	{ "cgroup: /dev/kmsg readable",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'c','major':1,'minor':11,'access':'r'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	/* crun 1.8 reads a rule's type by its first letter ("all" is a,
	 * anything but a and b a character device in its cgroup v2 filter). */
	{ "cgroup: type \"all\" is every device to crun",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'all','access':'rwm'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: type \"block\" is b to crun",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'block','major':8,'access':'rw'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: type \"u\" is c to crun's cgroup v2 filter: /dev/kmsg",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'u','major':1,'minor':11,'access':'rw'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: a type of more than one letter, which crun writes as given",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'c 1:11 rw\\n','major':5,'minor':0,'access':'rw'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: type \"char\" is refused too",
	  CFG(",'resources':{'devices':[{'allow':true,'type':'char','major':136,'access':'rwm'}]}", ""),
	  NULL, V_DENIED, "host-devices", "", NULL },
	{ "cgroup: a denying rule of any type is fine",
	  CFG(",'resources':{'devices':[{'allow':false,'type':'all','access':'rwm'}]}", ""),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	/* cgroup-shared: unified files that move processes into the cgroup */
	{ "unified cgroup.procs moves a process in",
	  CFG(",'resources':{'unified':{'memory.max':'1000000','cgroup.procs':'1'}}", ""),
	  NULL, V_DENIED, "cgroup-shared", "", NULL },
	{ "unified cgroup.threads moves a thread in",
	  CFG(",'resources':{'unified':{'cgroup.threads':'1'}}", ""),
	  NULL, V_DENIED, "cgroup-shared", "", NULL },
	{ "unified limits are fine",
	  CFG(",'resources':{'unified':{'memory.max':'1000000','pids.max':'5'}}", ""),
	  NULL, V_COMPLIANT, "", "cgroup-shared", NULL },
	{ "cgroup: a denying rule", CFG(",'resources':{'devices':[{'allow':false,'type':'b','access':'rwm'}]}", ""),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	{ "bind of /dev/kmsg", BIND("/dev/kmsg"), NULL, V_DENIED, "host-devices", "", NULL },
	{ "bind of the host's /dev/pts: its terminals", BIND("/dev/pts"), NULL, V_DENIED,
	  "host-devices", "", NULL },
	{ "a read-only bind of the host's /dev/pts", MOUNT("{'destination':'/x','type':'bind',"
	  "'source':'/dev/pts','options':['bind','ro']}"), NULL, V_DENIED, "host-devices", "", NULL },
	{ "bind of the host's /dev/pts/ptmx", BIND("/dev/pts/ptmx"), NULL, V_DENIED,
	  "host-devices", "", NULL },
	{ "a devpts of the container's own (runc's and podman's)",
	  MOUNT("{'destination':'/dev/pts','type':'devpts','source':'devpts','options':["
		"'nosuid','noexec','newinstance','ptmxmode=0666','mode=0620','gid=5']}"),
	  NULL, V_COMPLIANT, "", "host-devices", NULL },
	{ "devtmpfs", MOUNT("{'destination':'/dev2','type':'devtmpfs','source':'devtmpfs'}"), NULL,
	  V_DENIED, "host-devices", "", NULL },

	/* config-hooks and hook-loader-env */
	{ "a hook not on the allowlist", HOOK("createRuntime", "{'path':'/bin/sh','args':['sh']}"),
	  NODIRS, V_DENIED, "config-hooks", "hook-loader-env", NULL },
	{ "policy: config-hooks warn", HOOK("createRuntime", "{'path':'/bin/sh','args':['sh']}"),
	  "{'hooks':{'dirs':[]},'rules':{'config-hooks':'warn'}}", V_COMPLIANT, "config-hooks",
	  "", NULL },
	/* Docker's setkey hook only of a running dockerd: these never are. */
	{ "setkey of /proc/self/exe", HOOK("prestart", SETKEY("/proc/self/exe", "")), NODIRS,
	  V_DENIED, "config-hooks", "", NULL },
	{ "setkey of /proc/0/exe", HOOK("prestart", SETKEY("/proc/0/exe", "")), NODIRS,
	  V_DENIED, "config-hooks", "", NULL },
	{ "setkey of a pid with a leading zero", HOOK("prestart", SETKEY("/proc/01/exe", "")),
	  NODIRS, V_DENIED, "config-hooks", "", NULL },
	{ "setkey of /proc/1/./exe", HOOK("prestart", SETKEY("/proc/1/./exe", "")), NODIRS,
	  V_DENIED, "config-hooks", "", NULL },
	{ "setkey with an env", HOOK("prestart", SETKEY("/proc/1/exe", ",'env':['LD_PRELOAD=/x.so']")),
	  NODIRS, V_DENIED, "config-hooks", "", NULL },
	{ "setkey as a poststop hook", HOOK("poststop", SETKEY("/proc/1/exe", "")), NODIRS,
	  V_DENIED, "config-hooks", "", NULL },
	{ "a hook on the policy's allowlist", HOOK("prestart", "{'path':'/usr/bin/nvidia-hook'}"),
	  "{'hooks':{'dirs':[],'allowed':['/usr/bin/nvidia-hook']}}", V_COMPLIANT, "",
	  "config-hooks", NULL },
	{ "policy: config-hooks deny", HOOK("poststop", "{'path':'/bin/sh'}"),
	  "{'hooks':{'dirs':[]},'rules':{'config-hooks':'deny'}}", V_DENIED, "config-hooks", "", NULL },
	{ "policy: config-hooks off", HOOK("poststop", "{'path':'/bin/sh'}"),
	  "{'hooks':{'dirs':[]},'rules':{'config-hooks':'off'}}", V_COMPLIANT, "", "config-hooks", NULL },
	{ "LD_PRELOAD reaches a createContainer hook without env",
	  LDENV("{'path':'/usr/bin/nvidia-ctk'}"), NODIRS, V_DENIED, "hook-loader-env config-hooks",
	  "", NULL },
	{ "an empty env counts as none", LDENV("{'path':'/usr/bin/nvidia-ctk','env':[]}"), NODIRS,
	  V_DENIED, "hook-loader-env", "", NULL },
	{ "a hook with its own env", LDENV("{'path':'/usr/bin/nvidia-ctk','env':['PATH=/bin']}"),
	  HOOKSWARN, V_COMPLIANT, "", "hook-loader-env", NULL },
	{ "a startContainer hook",
	  CFGP(",'env':['LD_AUDIT=/a.so']", "", ",'hooks':{'startContainer':[{'path':'/bin/true'}]}"),
	  NODIRS, V_DENIED, "hook-loader-env", "", NULL },
	{ "createRuntime hooks do not get the container's env",
	  CFGP(",'env':['LD_PRELOAD=/a.so']", "", ",'hooks':{'createRuntime':[{'path':'/bin/true'}]}"),
	  HOOKSWARN, V_COMPLIANT, "", "hook-loader-env", NULL },
	{ "no loader variable", CFGP(",'env':['LD_PRELOADX=1','LD_PRELOAD=']", "",
				    ",'hooks':{'createContainer':[{'path':'/bin/true'}]}"),
	  HOOKSWARN, V_COMPLIANT, "", "hook-loader-env", NULL },
	{ "GLIBC_TUNABLES reaches a createContainer hook without env",
	  CFGP(",'env':['GLIBC_TUNABLES=glibc.malloc.check=3']", "",
	       ",'hooks':{'createContainer':[{'path':'/bin/true'}]}"),
	  HOOKSWARN, V_DENIED, "hook-loader-env", "", NULL },
	{ "an allowlisted hook whose own env sets LD_PRELOAD",
	  HOOK("createRuntime", "{'path':'/usr/bin/nvidia-hook','env':['LD_PRELOAD=/r/m.so']}"),
	  "{'hooks':{'dirs':[],'allowed':['/usr/bin/nvidia-hook']}}", V_DENIED, "hook-loader-env",
	  "config-hooks", NULL },
	{ "a poststop hook whose own env sets GCONV_PATH",
	  HOOK("poststop", "{'path':'/usr/bin/nvidia-hook','env':['PATH=/bin','GCONV_PATH=/r']}"),
	  "{'hooks':{'dirs':[],'allowed':['/usr/bin/nvidia-hook']}}", V_DENIED, "hook-loader-env",
	  "config-hooks", NULL },
	{ "a hook's own env with LD_PRELOAD empty",
	  HOOK("createRuntime", "{'path':'/usr/bin/nvidia-hook','env':['LD_PRELOAD=']}"),
	  "{'hooks':{'dirs':[],'allowed':['/usr/bin/nvidia-hook']}}", V_COMPLIANT, "",
	  "config-hooks hook-loader-env", NULL },

	/* cwd-fd */
	{ "cwd /proc/self/fd/7", CWD("/proc/self/fd/7"), NULL, V_DENIED, "cwd-fd", "", NULL },
	{ "cwd /proc/thread-self/fd/8/..", CWD("/proc/thread-self/fd/8/../../fd/3"), NULL, V_DENIED,
	  "cwd-fd", "", NULL },
	{ "cwd through a host pid", CWD("/proc/1/fd/3"), NULL, V_DENIED, "cwd-fd", "", NULL },
	{ "cwd spelled oddly", CWD("//proc/./self//fd/5/"), NULL, V_DENIED, "cwd-fd", "", NULL },
	{ "cwd via a task's cwd", CWD("/proc/self/task/1/cwd"), NULL, V_DENIED, "cwd-fd", "", NULL },
	{ "cwd /proc/self/root", CWD("/proc/self/root/etc"), NULL, V_DENIED, "cwd-fd", "", NULL },
	{ "cwd /procfs/self/fd is a directory", CWD("/procfs/self/fd"), NULL, V_COMPLIANT, "",
	  "cwd-fd", NULL },
	{ "cwd /proc/self/fdinfo", CWD("/proc/self/fdinfo"), NULL, V_COMPLIANT, "", "cwd-fd", NULL },

	/* unsafe-annotations */
	{ "crun's seccomp_bpf_data", ANN("run.oci.seccomp_bpf_data"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "policy fix: seccomp_bpf_data is removed", ANN("run.oci.seccomp_bpf_data"),
	  "{'rules':{'unsafe-annotations':'fix'}}", V_FIXABLE, "unsafe-annotations", "", NULL },
	{ "policy fix: bundle cannot be removed", ANN("bundle"),
	  "{'rules':{'unsafe-annotations':'fix'}}", V_DENIED, "unsafe-annotations", "", NULL },
	{ "crun's seccomp plugins", ANN("run.oci.seccomp.plugins"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "systemd properties by prefix", ANN("org.systemd.property.ExecStartPre"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "org.criu.config", ANN("org.criu.config"), NULL, V_DENIED, "unsafe-annotations", "", NULL },
	{ "crun's force_cgroup_v1", ANN("run.oci.systemd.force_cgroup_v1"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "crun's handler", ANN("run.oci.handler"), NULL, V_DENIED, "unsafe-annotations", "", NULL },
	{ "crun's wasm variant", ANN("module.wasm.image/variant"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "a crun annotation of a later crun", ANN("run.oci.krun.cpus"), NULL, V_DENIED,
	  "unsafe-annotations", "", NULL },
	{ "crun's time namespace offsets are harmless", ANN("run.oci.timens_offset"), NULL,
	  V_COMPLIANT, "", "unsafe-annotations", NULL },
	{ "crun's fail on unknown system calls is harmless", ANN("run.oci.seccomp_fail_unknown_syscall"),
	  NULL, V_COMPLIANT, "", "unsafe-annotations", NULL },
	{ "run.ocix is not crun's", ANN("run.ocix.a"), NULL, V_COMPLIANT, "", "unsafe-annotations",
	  NULL },
	{ "a look-alike key", ANN("org.systemd.propertyX"), NULL, V_COMPLIANT, "",
	  "unsafe-annotations", NULL },
	{ "podman's own annotations", ANN("io.podman.annotations.seccomp"), NULL, V_COMPLIANT, "",
	  "unsafe-annotations", NULL },
	{ "policy: an unsafe prefix added", ANN("com.example.runtime.x"),
	  "{'annotations':{'unsafe':['com.example.']}}", V_DENIED, "unsafe-annotations", "", NULL },

	/* sysctls */
	{ "a host-wide kernel sysctl", SYSCTL("kernel.printk_ratelimit_burst"), NULL, V_DENIED,
	  "sysctl-host sysctl-unsafe", "", NULL },
	{ "a vm sysctl", SYSCTL("vm.overcommit_memory"), NULL, V_DENIED, "sysctl-host", "", NULL },
	{ "slashes for dots", SYSCTL("kernel/core_pattern"), NULL, V_DENIED, "sysctl-host", "", NULL },
	{ "a safe sysctl", SYSCTL("net.ipv4.ping_group_range"), NULL, V_COMPLIANT, "",
	  "sysctl-host sysctl-unsafe", NULL },
	{ "a namespaced but unsafe sysctl", SYSCTL("net.core.somaxconn"), NULL, V_COMPLIANT,
	  "sysctl-unsafe", "sysctl-host", NULL },
	{ "policy: a sysctl allowed", SYSCTL("net.core.somaxconn"),
	  "{'sysctls':{'allowed':['net.core.somaxconn']}}", V_COMPLIANT, "", "sysctl-unsafe", NULL },
	{ "an IPC sysctl", SYSCTL("kernel.msgmax"), NULL, V_COMPLIANT, "sysctl-unsafe", "sysctl-host", NULL },
	{ "net.* in the host's network namespace",
	  SYSCTL_NS("net.ipv4.ip_forward", "{'type':'pid'},{'type':'ipc'},{'type':'mount'}"), NULL,
	  V_DENIED, "sysctl-host", "", NULL },
	{ "kernel.msgmax in the host's IPC namespace",
	  SYSCTL_NS("kernel.msgmax", "{'type':'network'}"), NULL, V_DENIED, "sysctl-host", "", NULL },
	{ "kernel.hostname with a UTS namespace", SYSCTL_NS("kernel.hostname", "{'type':'uts'}"),
	  NULL, V_COMPLIANT, "sysctl-unsafe", "sysctl-host", NULL },

	/* host-namespaces by inode */
	{ "/proc/self/ns/net of the host",
	  "{'process':{" PROCESS "},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},"
	  "{'type':'uts'},{'type':'mount'},{'type':'network','path':'/proc/self/ns/net'}]}}",
	  NULL, V_COMPLIANT, "host-namespaces", "", NULL },
	{ "a private network namespace joined by path",
	  "{'process':{" PROCESS "},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},"
	  "{'type':'uts'},{'type':'mount'},{'type':'network','path':'/run/netns/oh-none'}]}}",
	  NULL, V_COMPLIANT, "", "host-namespaces", NULL },
	{ "user namespace mapping root elsewhere",
	  "{'process':{" PROCESS "},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},"
	  "{'type':'uts'},{'type':'mount'},{'type':'network'},{'type':'user'}],"
	  "'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}]}}",
	  NULL, V_COMPLIANT, "", "host-namespaces", NULL },
	{ "user namespace mapping root to root (rootful runc spec --rootless)",
	  "{'process':{" PROCESS "},'linux':{" SECCOMP ",'namespaces':[{'type':'pid'},{'type':'ipc'},"
	  "{'type':'uts'},{'type':'mount'},{'type':'network'},{'type':'user'}],"
	  "'uidMappings':[{'containerID':0,'hostID':0,'size':1}]}}",
	  NULL, V_COMPLIANT, "host-namespaces", "", NULL },

	/* what cannot be judged */
	{ "mounts is an object", CFG("", ",'mounts':{}"), NULL, V_ERROR, "", "",
	  "/mounts: must be an array" },
	{ "a mount option is a number", CFG("", ",'mounts':[{'destination':'/x','options':[1]}]"),
	  NULL, V_ERROR, "", "", "/mounts/0/options/0: must be a string" },
	{ "a mount source is null", CFG("", ",'mounts':[{'destination':'/x','source':null}]"), NULL,
	  V_ERROR, "", "", "/mounts/0/source: must be a string, not null" },
	{ "a hook stage only runc reads", CFG("", ",'hooks':{'CreateContainer':[]}"), NULL, V_ERROR,
	  "", "", "must be spelled \"createContainer\"" },
	{ "a hook's env is a string", HOOK("prestart", "{'path':'/bin/true','env':'A=1'}"), NULL,
	  V_ERROR, "", "", "/hooks/prestart/0/env: must be an array" },
	{ "a device major is a string",
	  CFG(",'devices':[{'path':'/dev/x','type':'c','major':'1','minor':1}]", ""), NULL, V_ERROR,
	  "", "", "/linux/devices/0/major" },
	{ "a device major is a fraction",
	  CFG(",'devices':[{'path':'/dev/x','type':'c','major':1.5,'minor':1}]", ""), NULL, V_ERROR,
	  "", "", "/linux/devices/0/major: must be an integer" },
	{ "a cgroup rule's allow is a string",
	  CFG(",'resources':{'devices':[{'allow':'yes'}]}", ""), NULL, V_ERROR, "", "",
	  "/linux/resources/devices/0/allow: must be a boolean" },
	{ "a sysctl value is a number", CFG(",'sysctl':{'net.core.somaxconn':1}", ""), NULL, V_ERROR,
	  "", "", "/linux/sysctl/net.core.somaxconn: must be a string" },
	{ "unified in another case, which runc reads",
	  CFG(",'resources':{'Unified':{'cgroup.procs':'1'}}", ""), NULL, V_ERROR, "", "",
	  "/linux/resources/Unified: key \"Unified\" must be spelled \"unified\"" },
	{ "a unified value is a number", CFG(",'resources':{'unified':{'pids.max':5}}", ""), NULL,
	  V_ERROR, "", "", "/linux/resources/unified/pids.max: must be a string" },
	{ "cwd is a number", CFGP(",'Cwd':1", "", ""), NULL, V_ERROR, "", "", "must be spelled" },
	{ "env holds a number", CFGP(",'env':[1]", "", ""), NULL, V_ERROR, "", "",
	  "/process/env/0: must be a string" },
	{ "uidMappings size is a string",
	  CFG(",'uidMappings':[{'containerID':0,'hostID':0,'size':'1'}]", ""), NULL, V_ERROR, "", "",
	  "/linux/uidMappings/0/size" },
};

static void each_id(const struct scase *c, const struct decision *d, const char *list,
		    bool want)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (rule_by_id(t) < 0)
			fail_msg("%s: the table names an unknown rule %s", c->name, t);
		if (fired(d, t) != want)
			fail_msg("%s: rule %s %s", c->name, t,
				 want ? "did not fire" : "fired but should not");
	}
}

static struct policy *policy_of(const char *text)
{
	struct oh_error err = { 0 };
	struct policy *p;

	if (text == NULL)
		return policy_defaults();
	char *pb = unquote(text);
	if (policy_parse(pb, strlen(pb), "policy", &p, &err) < 0)
		fail_msg("policy %s: %s", text, err.msg);
	return p;
}

static void run_case(const struct scase *c)
{
	struct oh_error err = { 0 };
	struct policy *p = policy_of(c->policy);
	struct spec s;
	struct decision d;
	char *buf = unquote(c->config);

	int rc = spec_parse(buf, strlen(buf), "config.json", &s, &err);
	if (c->verdict == V_ERROR) {
		if (rc == 0)
			fail_msg("%s: loaded but should be an error", c->name);
		if (strstr(err.msg, c->error) == NULL)
			fail_msg("%s: error \"%s\" lacks \"%s\"", c->name, err.msg, c->error);
		policy_free(p);
		return;
	}
	if (rc < 0)
		fail_msg("%s: %s", c->name, err.msg);
	/* The inline configs leave out the namespaces they do not concern:
	 * mount-namespace is test_rules.c's. */
	p->action[R_MOUNT_NAMESPACE] = ACT_OFF;
	assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
	if (d.verdict != c->verdict) {
		for (size_t i = 0; i < d.nfindings; i++)
			fprintf(stderr, "  %s [%s]: %s\n", rule_table[d.findings[i].rule].id,
				action_name(d.findings[i].action), d.findings[i].message);
		fail_msg("%s: verdict %s, want %s", c->name, verdict_name(d.verdict),
			 verdict_name(c->verdict));
	}
	each_id(c, &d, c->fires, true);
	each_id(c, &d, c->silent, false);
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
}

static void test_table(void **state)
{
	(void)state;
	set_host(PLAIN);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

/* Fixes config under policy; returns the fixed view (to free). */
static void fixed(const char *config, const char *policy, struct spec *s)
{
	struct oh_error err = { 0 };
	struct policy *p = policy_of(policy);
	struct decision d;
	char *buf = unquote(config);

	set_host(PLAIN);
	if (spec_parse(buf, strlen(buf), "config.json", s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(rules_evaluate(s, p, host_facts(), &d, &err), 0);
	assert_int_equal(d.verdict, V_FIXABLE);
	if (rules_fix(s, p, host_facts(), &d, &err) < 0)
		fail_msg("%s", err.msg);
	decision_free(&d);
	policy_free(p);
}

static bool holds(const struct jval *arr, const char *str)
{
	for (uint32_t i = 0; arr != NULL && i < arr->len; i++)
		if (jv_is_str(&arr->u.items[i], str))
			return true;
	return false;
}

static void test_fix_restores_kernel_paths(void **state)
{
	(void)state;
	struct spec s;

	/* podman --security-opt unmask=ALL */
	fixed(CFG(",'readonlyPaths':[],'maskedPaths':['/proc/keys']", ",'mounts':[" PROC "]"),
	      NULL, &s);
	assert_true(holds(s.readonly_paths, "/proc/sys"));
	assert_true(holds(s.readonly_paths, "/proc/sysrq-trigger"));
	assert_true(holds(s.masked_paths, "/proc/kcore"));
	assert_true(holds(s.masked_paths, "/sys/firmware"));
	/* kept once, not added again */
	uint32_t keys = 0;
	for (uint32_t i = 0; i < s.masked_paths->len; i++)
		keys += jv_is_str(&s.masked_paths->u.items[i], "/proc/keys");
	assert_int_equal(keys, 1);
	spec_free(&s);

	/* Without linux.readonlyPaths at all: created. */
	fixed(CFG("", ",'mounts':[" PROC "]"), NULL, &s);
	assert_int_equal(s.readonly_paths->len, 6);
	assert_int_equal(s.masked_paths->len, 9);
	spec_free(&s);
}

static void test_fix_removes_seccomp_annotation(void **state)
{
	(void)state;
	struct spec s;

	fixed(CFG("", ",'annotations':{'a':'1','run.oci.seccomp_bpf_data':'AAAA','b':'2'}"),
	      "{'rules':{'unsafe-annotations':'fix'}}", &s);
	assert_null(spec_annotation(&s, "run.oci.seccomp_bpf_data"));
	assert_string_equal(spec_annotation(&s, "a"), "1");
	assert_string_equal(spec_annotation(&s, "b"), "2");
	spec_free(&s);
}

/* The engines' own defaults get no new deny finding (podman's
 * --privileged excepted: it does open these doors). */
static void test_engine_defaults(void **state)
{
	(void)state;
	static const struct { const char *file; bool denied; } files[] = {
		{ "fixtures/podman/default.json", false },
		{ "fixtures/podman/no-new-privileges.json", false },
		{ "fixtures/podman/cap-add-sys-admin.json", false },
		{ "fixtures/podman/cap-drop-all.json", false },
		{ "fixtures/podman/seccomp-unconfined.json", false },
		{ "fixtures/podman/cap-add-all.json", false },
		{ "fixtures/runc/spec.json", false },
		{ "fixtures/runc/spec-rootless.json", false },
		{ "fixtures/docker/config.json", false },
		{ "fixtures/podman/privileged.json", true },
	};
	const char *new_rules[] = { "kernel-paths", "sensitive-mounts", "host-devices",
				    "config-hooks", "hook-loader-env", "cwd-fd",
				    "unsafe-annotations", "sysctl-unsafe", "sysctl-host" };

	set_host(PLAIN);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct oh_error err = { 0 };
		struct policy *p = policy_defaults();
		struct spec s;
		struct decision d;
		char path[512], *buf;
		size_t len;

		snprintf(path, sizeof(path), "%s/%s", OH_TEST_DIR, files[i].file);
		assert_int_equal(oh_read_file(path, OH_MAX_INPUT, &buf, &len, &err), 0);
		assert_int_equal(spec_parse(buf, len, path, &s, &err), 0);
		assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
		bool any = false;
		for (size_t k = 0; k < sizeof(new_rules) / sizeof(new_rules[0]); k++)
			any |= fired(&d, new_rules[k]);
		if (any != files[i].denied)
			fail_msg("%s: new rules %s", files[i].file, any ? "fired" : "silent");
		if (files[i].denied) {
			assert_true(fired(&d, "sensitive-mounts"));   /* sysfs rw */
			assert_true(fired(&d, "host-devices"));       /* /dev/vda, /dev/kmsg */
			assert_true(fired(&d, "kernel-paths"));
		}
		decision_free(&d);
		spec_free(&s);
		policy_free(p);
	}
}

/* The kernel file-system table: sorted (kernel_fs_type searches it), each
 * entry says what it hands over, and every type is found. */
static void test_kernel_fs_table(void **state)
{
	(void)state;
	size_t n;
	const struct kernel_fs *t = kernel_fs_table(&n);

	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		assert_true(t[i].what != NULL && t[i].what[0] != '\0');
		assert_ptr_equal(kernel_fs_type(t[i].type), &t[i]);
		if (i > 0 && strcmp(t[i - 1].type, t[i].type) >= 0)
			fail_msg("kernel_fs table not sorted at %s", t[i].type);
	}
	assert_null(kernel_fs_type("tmpfs"));
	assert_null(kernel_fs_type("Tracefs"));
}

/* The namespace answer is kept per type and path: another path, or the
 * same path for another type, is asked again. */
/* Whether a finding of rule id names what. */
static bool says(const struct decision *d, const char *id, const char *what)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (strcmp(rule_table[d->findings[i].rule].id, id) == 0 &&
		    strstr(d->findings[i].message, what) != NULL)
			return true;
	return false;
}

/* Judges s again after its tree changed (as after a fix). */
static void judge_again(struct spec *s, const struct policy *p, struct decision *d)
{
	struct oh_error err = { 0 };

	if (spec_reload(s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(rules_evaluate(s, p, host_facts(), d, &err), 0);
}

/* Each mount keeps the look-up of its source across reloads: one whose
 * source a reload finds changed is looked up again, by both rules, and
 * one found clear before is judged anew. */
static void test_reload_looks_a_changed_source_up_again(void **state)
{
	(void)state;
	struct oh_error err = { 0 };
	struct policy *p = policy_of(NULL), *off = policy_of("{'rules':{'sensitive-mounts':'off'}}");
	struct spec s;
	struct decision d;
	char *buf = unquote(BIND("/nonexistent-oh-src/a"));

	set_host(PLAIN);
	p->action[R_MOUNT_NAMESPACE] = off->action[R_MOUNT_NAMESPACE] = ACT_OFF;
	if (spec_parse(buf, strlen(buf), "config.json", &s, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
	assert_false(fired(&d, "sensitive-mounts"));
	assert_false(fired(&d, "host-devices"));
	decision_free(&d);

	/* The bind is the third mount. */
	struct jval *bind = &s.mounts->u.items[2];
	jobj_set(s.doc, bind, "source", jv_str(s.doc, "/etc/."));
	judge_again(&s, p, &d);
	assert_true(says(&d, "sensitive-mounts", "bind-mounts the host's /etc"));
	decision_free(&d);

	jobj_set(s.doc, bind, "source", jv_str(s.doc, "/dev/kmsg"));
	judge_again(&s, off, &d);
	assert_true(says(&d, "host-devices", "the host's device /dev/kmsg"));
	decision_free(&d);

	/* Relative, on standard input: where the runtime reads it is not
	 * known. */
	jobj_set(s.doc, bind, "source", jv_str(s.doc, "vol"));
	judge_again(&s, off, &d);
	assert_true(says(&d, "host-devices", "vol cannot be judged as a device: a path relative"));
	decision_free(&d);

	jobj_set(s.doc, bind, "source", jv_str(s.doc, "/nonexistent-oh-src/b"));
	judge_again(&s, p, &d);
	assert_false(fired(&d, "sensitive-mounts"));
	assert_false(fired(&d, "host-devices"));
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
	policy_free(off);
}

static void test_ns_answer_follows_the_path(void **state)
{
	(void)state;
	assert_true(check_ns_is_host("network", "/proc/self/ns/net"));
	assert_true(check_ns_is_host("network", "/proc/self/ns/net"));
	assert_false(check_ns_is_host("network", "/nonexistent/oh-netns"));
	assert_false(check_ns_is_host("ipc", "/proc/self/ns/net"));
	assert_true(check_ns_is_host("ipc", "/proc/self/ns/ipc"));
	assert_true(check_ns_is_host("network", "/proc/self/ns/net"));
}

/* ------------------------------------------------ oci-harden's own hooks */

/* text with @SELF@ replaced by this program's installed path, @POL@ by
 * the default policy and @DIR@ by dir; a new string, ' for " unless
 * verbatim. */
static char *placed_as(const char *text, const char *dir, bool verbatim)
{
	struct oh_buf b = { 0 };

	for (const char *t = text; *t;) {
		if (strncmp(t, "@SELF@", 6) == 0) {
			oh_buf_puts(&b, paths_self());
			t += 6;
		} else if (strncmp(t, "@POL@", 5) == 0) {
			oh_buf_puts(&b, paths_default_policy());
			t += 5;
		} else if (strncmp(t, "@DIR@", 5) == 0) {
			oh_buf_puts(&b, dir ? dir : "/nonexistent");
			t += 5;
		} else {
			oh_buf_add(&b, *t == '\'' && !verbatim ? "\"" : t, 1);
			t++;
		}
	}
	char *r = xstrdup(b.data ? b.data : "");
	oh_buf_free(&b);
	return r;
}

static char *placed(const char *text, const char *dir)
{
	return placed_as(text, dir, false);
}

struct hcase {
	const char *name;
	const char *env;      /* process.env items, or "" */
	const char *hooks;    /* the "hooks" object's members */
	const char *policy;   /* NULL: hooks.dirs [] */
	enum verdict verdict;
	const char *fires;
	const char *silent;
	const char *message;  /* part of a finding's message, or NULL */
};

#define OWN(ST, ARGS) "'" ST "':[{'path':'@SELF@','args':[" ARGS "]}]"
#define OWNENV(ST, ARGS, ENV) "'" ST "':[{'path':'@SELF@','args':[" ARGS "],'env':[" ENV "]}]"
#define RT "'oci-harden','hook','createRuntime'"

static const struct hcase hcases[] = {
	{ "the registered createRuntime form", "",
	  "'createRuntime':[{'path':'@SELF@','args':[" RT ",'--policy','@POL@'],'timeout':10}]",
	  NULL, V_COMPLIANT, "", "config-hooks hook-loader-env", NULL },
	{ "README's runc form", "", OWN("createRuntime", RT) "," OWN("poststart",
	  "'oci-harden','hook','poststart'"), NULL, V_COMPLIANT, "", "config-hooks", NULL },
	{ "precreate with --refusal exit before --policy", "",
	  OWN("prestart", "'oci-harden','hook','precreate','--refusal','exit','--policy','@POL@'"),
	  NULL, V_COMPLIANT, "", "config-hooks", NULL },
	{ "argv[0] a path to oci-harden", "",
	  OWN("createRuntime", "'/usr/bin/oci-harden','hook','createRuntime'"), NULL,
	  V_COMPLIANT, "", "config-hooks", NULL },
	{ "createContainer without env; process.env of every container", "'PATH=/bin','HOME=/','TERM=xterm'",
	  OWN("createContainer", "'oci-harden','hook','createContainer'"), NULL, V_COMPLIANT, "",
	  "config-hooks hook-loader-env", NULL },
	{ "createRuntime without env does not get process.env", "'OCI_HARDEN_RUNTIME=/r/runc'",
	  OWN("createRuntime", RT), NULL, V_COMPLIANT, "", "config-hooks", NULL },
	{ "createContainer with an env of its own does not get process.env",
	  "'OCI_HARDEN_RUNTIME=/r/runc'",
	  OWNENV("createContainer", "'oci-harden','hook','createContainer'", "'PATH=/bin'"), NULL,
	  V_COMPLIANT, "", "config-hooks", NULL },

	{ "argv[0] oci-harden-runtime: the wrapper", "",
	  OWNENV("createRuntime", "'oci-harden-runtime','state','x'", "'OCI_HARDEN_RUNTIME=/r/runc'"),
	  NULL, V_DENIED, "config-hooks", "",
	  "createRuntime hook @SELF@: arguments oci-harden-runtime state x are not a form "
	  "oci-harden registers" },
	{ "argv[0] runc: the wrapper", "", OWN("prestart", "'runc','run','x'"), NULL, V_DENIED,
	  "config-hooks", "", "argv[0] is not oci-harden" },
	{ "oci-harden host", "", OWN("createRuntime", "'oci-harden','host'"), NULL, V_DENIED,
	  "config-hooks", "", "the command is not hook" },
	{ "oci-harden setup", "", OWN("createRuntime", "'oci-harden','setup','--engine','podman'"),
	  NULL, V_DENIED, "config-hooks", "", "the command is not hook" },
	{ "a stage oci-harden hook does not have", "",
	  OWN("poststop", "'oci-harden','hook','poststop'"), NULL, V_DENIED, "config-hooks", "",
	  "the stage is not one" },
	{ "no arguments", "", "'createRuntime':[{'path':'@SELF@'}]", NULL, V_DENIED,
	  "config-hooks", "", "arguments (none) are not a form" },
	{ "an argument after the stage", "", OWN("createRuntime", RT ",'x'"), NULL, V_DENIED,
	  "config-hooks", "", "each once" },
	{ "--policy twice", "", OWN("createRuntime", RT ",'--policy','@POL@','--policy','@POL@'"),
	  NULL, V_DENIED, "config-hooks", "", "each once" },
	{ "--policy without its file", "", OWN("createRuntime", RT ",'--policy'"), NULL, V_DENIED,
	  "config-hooks", "", "each once" },
	{ "--policy=FILE", "", OWN("createRuntime", RT ",'--policy=@POL@'"), NULL, V_DENIED,
	  "config-hooks", "", "each once" },
	{ "an option before the stage", "",
	  OWN("createRuntime", "'oci-harden','hook','--policy','@POL@','createRuntime'"), NULL,
	  V_DENIED, "config-hooks", "", "the stage is not one" },
	{ "--refusal of another word", "", OWN("createRuntime", RT ",'--refusal','never'"), NULL,
	  V_DENIED, "config-hooks", "", "each once" },
	{ "--policy of a file in the image", "",
	  OWN("createRuntime", RT ",'--policy','/var/lib/x/rootfs/p.json'"), NULL, V_DENIED,
	  "config-hooks", "", "--policy /var/lib/x/rootfs/p.json is not a policy this installation knows" },
	{ "--policy relative", "", OWN("createRuntime", RT ",'--policy','policy/default.json'"),
	  NULL, V_DENIED, "config-hooks", "", "is not a policy this installation knows" },
	{ "--policy beside the default through ..", "",
	  OWN("createRuntime", RT ",'--policy','@POL@/../../../../etc/passwd'"), NULL, V_DENIED,
	  "config-hooks", "", "is not a policy this installation knows" },

	{ "its env sets LD_PRELOAD", "", OWNENV("createRuntime", RT, "'LD_PRELOAD=/r/m.so'"), NULL,
	  V_DENIED, "config-hooks hook-loader-env", "",
	  "its env sets LD_PRELOAD (read by the dynamic loader)" },
	{ "its env sets OCI_HARDEN_RUNTIME", "",
	  OWNENV("createRuntime", RT, "'PATH=/bin','OCI_HARDEN_RUNTIME=/r/runc'"), NULL, V_DENIED,
	  "config-hooks", "hook-loader-env", "its env sets OCI_HARDEN_RUNTIME (read by oci-harden)" },
	{ "its env sets OCI_HARDEN_PYTHON", "",
	  OWNENV("poststart", "'oci-harden','hook','poststart'", "'OCI_HARDEN_PYTHON=/r/py'"), NULL,
	  V_DENIED, "config-hooks", "", "OCI_HARDEN_PYTHON (read by oci-harden)" },
	{ "its env sets GLIBC_TUNABLES", "", OWNENV("createRuntime", RT, "'GLIBC_TUNABLES=x=1'"),
	  NULL, V_DENIED, "config-hooks hook-loader-env", "", "GLIBC_TUNABLES" },
	{ "its env sets LD_DEBUG_OUTPUT", "", OWNENV("createRuntime", RT, "'LD_DEBUG_OUTPUT=/etc/x'"),
	  NULL, V_DENIED, "config-hooks", "hook-loader-env", "LD_DEBUG_OUTPUT" },
	{ "its env sets MALLOC_TRACE", "", OWNENV("createRuntime", RT, "'MALLOC_TRACE=/etc/x'"),
	  NULL, V_DENIED, "config-hooks", "", "MALLOC_TRACE (read by glibc's malloc)" },
	{ "its env sets TZDIR", "", OWNENV("createRuntime", RT, "'TZDIR=/r/zoneinfo'"), NULL,
	  V_DENIED, "config-hooks", "", "TZDIR (read by glibc's time zones)" },
	{ "its env sets TZ to a file of the image", "", OWNENV("createRuntime", RT, "'TZ=:/r/zone'"),
	  NULL, V_DENIED, "config-hooks", "", "TZ (read by glibc's time zones, as a file)" },
	{ "its env sets TZ to a zone name that climbs out", "",
	  OWNENV("createRuntime", RT, "'TZ=../../../r/zone'"), NULL, V_DENIED, "config-hooks", "",
	  "TZ (read by" },
	{ "its env sets TZ and MALLOC_ARENA_MAX, as many images do", "",
	  OWNENV("createRuntime", RT, "'TZ=Europe/Paris','MALLOC_ARENA_MAX=2'"), NULL,
	  V_COMPLIANT, "", "config-hooks", NULL },
	{ "its env sets POSIXLY_CORRECT", "", OWNENV("createRuntime", RT, "'POSIXLY_CORRECT=1'"),
	  NULL, V_DENIED, "config-hooks", "", "POSIXLY_CORRECT" },
	{ "its env holds an entry without =", "", OWNENV("createRuntime", RT, "'LD_PRELOAD'"), NULL,
	  V_DENIED, "config-hooks", "", "LD_PRELOAD (not NAME=VALUE)" },
	{ "its env sets only PATH and LANG", "", OWNENV("createRuntime", RT, "'PATH=/bin','LANG=C'"),
	  NULL, V_COMPLIANT, "", "config-hooks", NULL },
	{ "createContainer without env inherits OCI_HARDEN_RUNTIME", "'PATH=/bin','OCI_HARDEN_RUNTIME=/r/runc'",
	  OWN("createContainer", "'oci-harden','hook','createContainer'"), NULL, V_DENIED,
	  "config-hooks", "hook-loader-env",
	  "createContainer hook @SELF@ has no env of its own, so it inherits process.env's "
	  "OCI_HARDEN_RUNTIME (read by oci-harden)" },
	{ "startContainer with an empty env inherits MALLOC_CHECK_", "'MALLOC_CHECK_=3'",
	  OWNENV("startContainer", "'oci-harden','hook','poststart'", ""), NULL, V_DENIED,
	  "config-hooks", "", "inherits process.env's MALLOC_CHECK_" },
	{ "createContainer without env in a container with TZ and HOME", "'TZ=UTC','HOME=/root'",
	  OWN("createContainer", "'oci-harden','hook','createContainer'"), NULL, V_COMPLIANT, "",
	  "config-hooks", NULL },
	{ "the wrapper's argv[0] and the inherited runtime, both named",
	  "'OCI_HARDEN_RUNTIME=/r/runc'", OWN("createContainer", "'oci-harden-runtime','state','x'"),
	  NULL, V_DENIED, "config-hooks", "", "OCI_HARDEN_RUNTIME" },

	/* What hooks.d registers (the directory @DIR@, written by the test). */
	{ "a registered hook, all of it", "",
	  "'createContainer':[{'path':'/usr/local/bin/oh-site','args':['oh-site','-x'],"
	  "'env':['LD_LIBRARY_PATH=/opt/site/lib'],'timeout':5}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_COMPLIANT, "", "config-hooks hook-loader-env", NULL },
	{ "a registered path with other arguments", "",
	  "'createContainer':[{'path':'/usr/local/bin/oh-site','args':['oh-site','-y'],"
	  "'env':['LD_LIBRARY_PATH=/opt/site/lib']}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "config-hooks", "",
	  "createContainer hook /usr/local/bin/oh-site is not the hook hooks.d registers for that path" },
	{ "a registered path with another env", "",
	  "'createContainer':[{'path':'/usr/local/bin/oh-site','args':['oh-site','-x'],"
	  "'env':['LD_LIBRARY_PATH=/var/lib/x/rootfs/lib']}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "config-hooks hook-loader-env", "",
	  "its env sets LD_LIBRARY_PATH" },
	{ "a registered path without its env", "",
	  "'createContainer':[{'path':'/usr/local/bin/oh-site','args':['oh-site','-x']}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "config-hooks", "", "is not the hook hooks.d" },
	{ "a registered hook at another stage", "",
	  "'prestart':[{'path':'/usr/local/bin/oh-site','args':['oh-site','-x'],"
	  "'env':['LD_LIBRARY_PATH=/opt/site/lib']}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "config-hooks", "", "is not the hook hooks.d" },
	{ "a registered hook without env still inherits process.env's LD_PRELOAD",
	  "'LD_PRELOAD=/r/m.so'", "'startContainer':[{'path':'/usr/local/bin/oh-bare'}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "hook-loader-env", "config-hooks",
	  "inherits the container's LD_PRELOAD" },
	{ "oci-harden registered with a policy of setup's", "",
	  "'createRuntime':[{'path':'@SELF@','args':[" RT ",'--policy','/srv/oh-site.json'],'timeout':10}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_COMPLIANT, "", "config-hooks", NULL },
	{ "that registration's arguments at another stage", "",
	  "'createContainer':[{'path':'@SELF@','args':[" RT ",'--policy','/srv/oh-site.json']}]",
	  "{'hooks':{'dirs':['@DIR@']}}", V_DENIED, "config-hooks", "",
	  "--policy /srv/oh-site.json is not a policy" },
};

/* Whether a finding of one of the rules ids (space-separated) says part. */
static bool said(const struct decision *d, const char *ids, const char *part)
{
	for (size_t i = 0; i < d->nfindings; i++) {
		const char *id = rule_table[d->findings[i].rule].id, *at = strstr(ids, id);
		size_t n = strlen(id);
		if (at != NULL && (at == ids || at[-1] == ' ') && (at[n] == ' ' || at[n] == '\0') &&
		    strstr(d->findings[i].message, part) != NULL)
			return true;
	}
	return false;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void run_hcase(const struct hcase *c, const char *dir)
{
	struct oh_error err = { 0 };
	struct spec s;
	struct decision d;
	char *conf = xasprintf("{'ociVersion':'1.0.2','process':{" PROCESS ",'env':[%s]},"
			       "'root':{'path':'rootfs','readonly':true},'linux':{" SECCOMP ","
			       NS "," RO "," MASKED "},'mounts':[" PROC "," SYSRO "],"
			       "'hooks':{%s}}", c->env, c->hooks);
	char *buf = placed(conf, dir);
	char *pol = placed(c->policy ? c->policy : NODIRS, dir);
	struct policy *p = NULL;

	free(conf);
	if (policy_parse(pol, strlen(pol), "policy", &p, &err) < 0)
		fail_msg("%s: policy: %s", c->name, err.msg);
	if (spec_parse(buf, strlen(buf), "config.json", &s, &err) < 0)
		fail_msg("%s: %s", c->name, err.msg);
	p->action[R_MOUNT_NAMESPACE] = ACT_OFF;
	p->action[R_ROOT_USER] = ACT_OFF;
	assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
	struct scase sc = { .name = c->name };
	if (d.verdict != c->verdict) {
		for (size_t i = 0; i < d.nfindings; i++)
			fprintf(stderr, "  %s [%s]: %s\n", rule_table[d.findings[i].rule].id,
				action_name(d.findings[i].action), d.findings[i].message);
		fail_msg("%s: verdict %s, want %s", c->name, verdict_name(d.verdict),
			 verdict_name(c->verdict));
	}
	each_id(&sc, &d, c->fires, true);
	each_id(&sc, &d, c->silent, false);
	if (c->message != NULL) {
		char *want = placed_as(c->message, dir, true);
		if (!said(&d, c->fires, want)) {
			for (size_t i = 0; i < d.nfindings; i++)
				fprintf(stderr, "  %s: %s\n", rule_table[d.findings[i].rule].id,
					d.findings[i].message);
			fail_msg("%s: no finding of %s says \"%s\"", c->name, c->fires, want);
		}
		free(want);
	}
	decision_free(&d);
	spec_free(&s);
	policy_free(p);
}

static void test_hooks_judged_by_all_that_runs(void **state)
{
	char dir[] = "/tmp/oh-mend5-hooksd-XXXXXX";

	(void)state;
	set_host(PLAIN);
	assert_non_null(mkdtemp(dir));
	char *site = xasprintf("%s/50-site.json", dir);
	char *bare = xasprintf("%s/50-bare.json", dir);
	char *own = xasprintf("%s/99-oh.json", dir);
	write_file(site, "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"/usr/local/bin/oh-site\", "
			 "\"args\": [\"oh-site\", \"-x\"], \"env\": [\"LD_LIBRARY_PATH=/opt/site/lib\"]}, "
			 "\"when\": {\"always\": true}, \"stages\": [\"createContainer\"]}\n");
	write_file(bare, "{\"version\": \"1.0.0\", \"hook\": {\"path\": \"/usr/local/bin/oh-bare\"}, "
			 "\"when\": {\"always\": true}, \"stages\": [\"startContainer\"]}\n");
	char *reg = placed("{'version': '1.0.0', 'hook': {'path': '@SELF@', 'args': ['oci-harden', "
			   "'hook', 'createRuntime', '--policy', '/srv/oh-site.json'], 'timeout': 10}, "
			   "'when': {'always': true}, 'stages': ['createRuntime']}\n", NULL);
	write_file(own, reg);
	for (size_t i = 0; i < sizeof(hcases) / sizeof(hcases[0]); i++)
		run_hcase(&hcases[i], dir);
	unlink(site);
	unlink(bare);
	unlink(own);
	rmdir(dir);
	free(site);
	free(bare);
	free(own);
	free(reg);
}

/* A link to this program on the allowlist is this program: judged by its
 * arguments, not let through by its path. */
static void test_allowlisted_link_to_self(void **state)
{
	char dir[] = "/tmp/oh-mend5-link-XXXXXX", exe[PATH_MAX];
	struct oh_error err = { 0 };
	struct spec s;
	struct decision d;
	struct policy *p;

	(void)state;
	set_host(PLAIN);
	assert_non_null(mkdtemp(dir));
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(n > 0);
	exe[n] = '\0';
	char *link = xasprintf("%s/runc", dir);
	assert_int_equal(symlink(exe, link), 0);
	char *pol = xasprintf("{\"hooks\":{\"dirs\":[],\"allowed\":[\"%s\"]}}", link);
	assert_int_equal(policy_parse(pol, strlen(pol), "policy", &p, &err), 0);
	p->action[R_MOUNT_NAMESPACE] = ACT_OFF;
	for (int form = 0; form < 2; form++) {
		char *conf = xasprintf("{\"ociVersion\":\"1.0.2\",\"process\":{\"noNewPrivileges\":true,"
				       "\"user\":{\"uid\":1000,\"gid\":1000}},\"root\":{\"path\":"
				       "\"rootfs\"},\"hooks\":{\"createRuntime\":[{\"path\":\"%s\","
				       "\"args\":[%s]}]}}", link,
				       form ? "\"oci-harden\",\"hook\",\"createRuntime\""
					    : "\"runc\",\"run\",\"x\"");
		assert_int_equal(spec_parse(conf, strlen(conf), "config.json", &s, &err), 0);
		assert_int_equal(rules_evaluate(&s, p, host_facts(), &d, &err), 0);
		if (fired(&d, "config-hooks") != !form)
			fail_msg("the allowlisted link with %s: config-hooks %s", form ? "hook" : "runc",
				 form ? "fired" : "did not fire");
		decision_free(&d);
		spec_free(&s);
	}
	policy_free(p);
	unlink(link);
	rmdir(dir);
	free(link);
}

/* Every variable oci-harden reads (getenv in hook/) is in the table of
 * check_hook_env_reader, so a new one is a decision, not a hole. */
static void test_every_getenv_is_judged(void **state)
{
	char *hookdir = xasprintf("%s/../hook", OH_TEST_DIR);
	DIR *d = opendir(hookdir);
	struct dirent *e;
	size_t names = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0)
			continue;
		char *path = xasprintf("%s/%s", hookdir, e->d_name);
		char *text;
		size_t len;
		struct oh_error err = { 0 };
		assert_int_equal(oh_read_file(path, 1u << 24, &text, &len, &err), 0);
		for (char *t = text; (t = strstr(t, "getenv(")) != NULL; t++) {
			char *q = t + strlen("getenv(");
			char name[64];
			size_t k = 0;
			if (*q != '"') {
				/* getenv(LOOP_MARK): the macro's own name is the
				 * OCI_HARDEN_RUNTIME_ACTIVE below. */
				continue;
			}
			for (q++; *q != '"' && k + 1 < sizeof(name); q++)
				name[k++] = *q;
			name[k] = '\0';
			names++;
			if (check_hook_env_reader(name) == NULL)
				fail_msg("%s reads %s, which check_hook_env_reader does not know",
					 e->d_name, name);
		}
		free(text);
		free(path);
	}
	closedir(d);
	free(hookdir);
	assert_true(names >= 8);
	assert_string_equal(check_hook_env_reader("OCI_HARDEN_RUNTIME_ACTIVE=1"), "oci-harden");
	assert_string_equal(check_hook_env_reader("LD_PRELOAD=/x"), "the dynamic loader");
	assert_string_equal(check_hook_env_reader("GLIBC_TUNABLES"), "the dynamic loader");
	assert_string_equal(check_hook_env_reader("PATH=/bin"), "");
	assert_null(check_hook_env_reader("PATHX=/bin"));
	assert_null(check_hook_env_reader("HOME=/"));
	assert_null(check_hook_env_reader("TZ=UTC"));
	assert_null(check_hook_env_reader("TZ=Europe/Paris"));
	assert_non_null(check_hook_env_reader("TZ=/etc/shadow"));
	assert_null(check_hook_env_reader("MALLOC_ARENA_MAX=2"));
	assert_string_equal(check_hook_env_reader("MALLOC_TRACE=/x"), "glibc's malloc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_fix_restores_kernel_paths),
		cmocka_unit_test(test_fix_removes_seccomp_annotation),
		cmocka_unit_test(test_engine_defaults),
		cmocka_unit_test(test_ns_answer_follows_the_path),
		cmocka_unit_test(test_reload_looks_a_changed_source_up_again),
		cmocka_unit_test(test_kernel_fs_table),
		cmocka_unit_test(test_hooks_judged_by_all_that_runs),
		cmocka_unit_test(test_allowlisted_link_to_self),
		cmocka_unit_test(test_every_getenv_is_judged),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
