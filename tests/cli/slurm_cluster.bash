# Helpers for tests/cli/slurm_*.sh (sourced, not a test itself): a private SLURM cluster on this
# machine (docs in the tests). Sets D (the cluster's directory) and stops everything it started
# on exit, by pid file only, never by name. Where SLURM cannot run here (not installed, not root,
# daemons do not come up) the tests print "SKIP: ..." and exit 77: ctest reports them Skipped.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "${BASH_SOURCE[0]}")/requires.bash"

for p in slurmctld slurmd munged mungekey sbatch squeue sinfo scancel scontrol python3 "$@"; do
  command -v "$p" >/dev/null 2>&1 || skip "$p is not installed (scripts/install-deps.sh --with-slurm)"
done
[[ $(id -u) -eq 0 ]] || skip "a private slurmd needs root"
require_fashion_mnist  # the tasks train on it

# Short directory: Unix socket paths are capped at 108 bytes.
D=$(mktemp -d /tmp/rs.XXXXXX)
chmod 755 "$D"  # munged wants its socket path searchable by all
mkdir -p "$D"/{state,spool,log,run,munge}
chmod 755 "$D/munge"
JOB=""

stop_pid() {  # TERM, then KILL after 10 s
  local f=$1 pid
  [[ -s $f ]] || return 0
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup_cluster() {
  set +e
  if [[ -n $JOB ]]; then scancel "$JOB" >/dev/null 2>&1; sleep 0.5; fi
  for f in "$D"/run/slurmd*.pid; do stop_pid "$f"; done
  stop_pid "$D/run/slurmctld.pid"
  stop_pid "$D/munge/munged.pid"
  rm -rf "$D"
}
trap cleanup_cluster EXIT
trap "exit 143" TERM INT HUP  # a ctest timeout cleans up too

mungekey -c -k "$D/munge/munge.key" >/dev/null 2>&1 || skip "mungekey failed"
munged --socket="$D/munge/munge.socket" --key-file="$D/munge/munge.key" --pid-file="$D/munge/munged.pid" \
  --log-file="$D/munge/munged.log" --seed-file="$D/munge/munge.seed" >/dev/null 2>&1 || skip "munged did not start"

# slurm_conf CLUSTER PORT: the slurm.conf lines every test shares (slurmctld on PORT); the caller
# appends its node and partition lines.
slurm_conf() {
  cat <<EOF
ClusterName=$1
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$2
AuthType=auth/munge
AuthInfo=socket=$D/munge/munge.socket,cred_expire=10
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$D/state
SlurmctldPidFile=$D/run/slurmctld.pid
SlurmctldLogFile=$D/log/slurmctld.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SchedulerParameters=batch_sched_delay=0,bf_interval=1,sched_interval=1
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.txt
ReturnToService=2
MinJobAge=3600
RequeueExit=75
EOF
}

# wait_for_nodes "NODE STATE ..." (sorted, as sinfo -N prints them): until the nodes show so.
wait_for_nodes() {
  for _ in $(seq 1 150); do
    [[ $(sinfo -h -N -o '%N %t' 2>/dev/null | sort | tr '\n' ' ') == "$1 " ]] && return 0
    sleep 0.1
  done
  skip "the cluster did not come up (port busy?): $(sinfo -h -N -o '%N %t' 2>&1 | tr '\n' ' ')" \
    "$(tail -2 "$D/log/slurmctld.log" 2>/dev/null)"
}
