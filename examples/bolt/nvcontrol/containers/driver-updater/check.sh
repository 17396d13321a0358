#!/bin/sh
# Reports the loaded NVIDIA kernel module version against DRIVER_VERSION; never installs unless AUTO_UPDATE=true.
loaded=$(modinfo -F version nvidia 2>/dev/null || echo none)
echo "nvidia module: $loaded, wanted: $DRIVER_VERSION, auto update: $AUTO_UPDATE"
[ "$loaded" = "$DRIVER_VERSION" ] || [ "$AUTO_UPDATE" != "true" ] || echo "would update to $DRIVER_VERSION"
exec sleep infinity
