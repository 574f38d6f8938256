# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for silkd(8).                                          -*- shell-script -*-
# Installed as share/bash-completion/completions/silkd.

_silkd() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD - 1]-}"
    local opts='--index --corpus --socket --listen --threads --watch --watch-delay
--idle-timeout --max-connections --max-line --max-inflight --max-output --remote-timeout
--log-level --print-socket --watch-max-delay
--reindex-timeout --shutdown-timeout
--allow-remote-programs --max-output-total --token-file
--query-time-limit --config --help'
    case "$prev" in
    --corpus | --index)
        compopt -o dirnames 2>/dev/null
        COMPREPLY=($(compgen -d -- "$cur"))
        return 0
        ;;
    --socket | --token-file | --config)
        compopt -o filenames 2>/dev/null
        COMPREPLY=($(compgen -f -- "$cur"))
        return 0
        ;;
    --log-level)
        # shellcheck disable=SC2207
        COMPREPLY=($(compgen -W 'error warn info debug' -- "$cur"))
        return 0
        ;;
    --watch-max-delay)
        COMPREPLY=()
        return 0
        ;;
    --reindex-timeout)
        COMPREPLY=()
        return 0
        ;;
    --shutdown-timeout)
        COMPREPLY=()
        return 0
        ;;
    --max-output-total)
        COMPREPLY=()
        return 0
        ;;
    --query-time-limit)
        COMPREPLY=()
        return 0
        ;;
    --listen | --threads | --watch-delay | --idle-timeout | --max-connections | --max-line | \
        --max-inflight | --max-output | --remote-timeout)
        COMPREPLY=()
        return 0
        ;;
    esac
    # shellcheck disable=SC2207
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
}
complete -F _silkd silkd
