#!/bin/sh
# forker, for the tests of host/plugin and host/cli only: a plugin that is a
# shell script starting a child without exec. The child inherits the script's
# stdout and stderr and outlives the start timeout, so a host that waits for
# the plugin's pipes to close waits for ever. The host must kill the child
# with the script and report, within the start timeout, that this is not a
# plugin.
#
# Built as oneiros-frontend-fork the script waits for its child; as
# oneiros-frontend-fork-exit it exits at once and leaves the child running;
# as oneiros-frontend-fork-escape the child leaves the process group too
# (setsid), out of the host's reach: the host must still not wait for it.
echo "forker: started a child that never answers" >&2
case "$0" in
*-exit)
	sleep 3600 &
	exit 3
	;;
*-escape)
	setsid sleep 3600 &
	sleep 0.3 # time for the child to leave the group
	exit 3
	;;
*)
	sleep 3600
	;;
esac
