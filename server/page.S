/* SPDX-License-Identifier: GPL-2.0-or-later */
/* silkd — the search page (server/web/index.html), embedded at build time: its bytes are
 * the symbol silkd_page and its length silkd_page_size (see page.h). The assembler's
 * .incbin takes the file as it is, so the page needs no generated C. */
    .section .rodata
    .global silkd_page
    .type silkd_page, @object
    .balign 16
silkd_page:
    .incbin "server/web/index.html"
silkd_page_end:
    .byte 0
    .size silkd_page, . - silkd_page
    .global silkd_page_size
    .type silkd_page_size, @object
    .balign 8
silkd_page_size:
    .quad silkd_page_end - silkd_page
    .size silkd_page_size, 8
    .section .note.GNU-stack,"",@progbits
