# SPDX-License-Identifier: GPL-2.0-or-later
# fish completion for silk-index(1).
# Installed as share/fish/vendor_completions.d/silk-index.fish.
complete -c silk-index -f
complete -c silk-index -l corpus -x -a '(__fish_complete_directories)' -d 'The corpus folder'
complete -c silk-index -l index -x -a '(__fish_complete_directories)' -d 'The index folder'
complete -c silk-index -l config -r -F -d 'The configuration file (silk.conf(5))'
complete -c silk-index -l full -d 'Rebuild from scratch, then switch atomically'
complete -c silk-index -l quiet -d 'No progress, notes or summary'
complete -c silk-index -l json -d 'Print the summary as JSON'
complete -c silk-index -l no-wait -d 'Fail when another silk-index writes the index'
complete -c silk-index -l max-size -x -d 'Skip files larger than this (K, M, G)'
complete -c silk-index -l jobs -x -d 'Parts of a full build written at once'
complete -c silk-index -l flush-mb -x -d 'Commit a full build every MB of text'
complete -c silk-index -l progress -f -a 'json' -d 'Progress bar on stderr (or JSON lines)'
complete -c silk-index -l shards -x -d 'A sharded index of N shards'
complete -c silk-index -l shard -x -d 'Index only shard K/N'
complete -c silk-index -l help -d 'Print help'
