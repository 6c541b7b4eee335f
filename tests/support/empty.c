/* keeps the support library non-empty before any helper exists */
typedef int skit_test_support_placeholder;
