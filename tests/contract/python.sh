#!/bin/sh
# Run python3 with the given arguments, taking the first python3 that has
# jsonschema: Debian's python3-jsonschema serves /usr/bin/python3, and a
# python3 earlier on PATH (pyenv, a venv) may lack it.
for python in python3 /usr/bin/python3; do
    if "$python" -c "import jsonschema" 2>/dev/null; then
        exec "$python" "$@"
    fi
done
echo "contract: no python3 with jsonschema (Debian package python3-jsonschema)" >&2
exit 1
