# fish completion for silkd(8).
# Installed as share/fish/vendor_completions.d/silkd.fish.
complete -c silkd -f
complete -c silkd -l index -x -a '(__fish_complete_directories)' -d 'The index to serve'
complete -c silkd -l corpus -x -a '(__fish_complete_directories)' -d 'The corpus to re-index'
complete -c silkd -l socket -r -F -d 'The Unix socket'
complete -c silkd -l listen -x -d 'Also serve TCP on HOST:PORT'
complete -c silkd -l threads -x -d 'Worker threads, 1..64'
complete -c silkd -l watch -d 'Re-index when the corpus changes'
complete -c silkd -l watch-delay -x -d 'Quiet time before a re-index (ms)'
complete -c silkd -l idle-timeout -x -d 'Close idle connections after (s)'
complete -c silkd -l max-connections -x -d 'Connections at once'
complete -c silkd -l max-line -x -d 'Longest request line (bytes)'
complete -c silkd -l max-inflight -x -d 'Unsent answers per connection'
complete -c silkd -l max-output -x -d 'Unsent bytes per connection'
complete -c silkd -l remote-timeout -x -d 'Timeout of remote shards (ms)'
complete -c silkd -l log-level -x -a 'error warn info debug' -d 'Log detail'
complete -c silkd -l print-socket -d 'Print the socket path and exit'
complete -c silkd -l help -d 'Print help'
