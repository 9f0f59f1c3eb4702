"""How the bench reads callgrind_annotate's output: inclusive costs, call edges and call counts,
and mod_zdu's hooks and clock reads from them. Made-up input; nothing is run."""
import unittest

from zdubench import callgrind, per_request

TREE = """\
--------------------------------------------------------------------------------
1,000,000 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                 file:function

  9,000 ( 0.90%)  *  ???:ap_run_translate_name [/usr/sbin/apache2]
  6,000 ( 0.60%)  >   /src/translate.cpp:zdu::glue::translate_name(request_rec*) (3x) [/m/mod_zdu.so]
  2,000 ( 0.20%)  >   ???:other_module_translate (3x) [/usr/lib/other.so]

  6,000 ( 0.60%)  *  /src/translate.cpp:zdu::glue::translate_name(request_rec*)

  5,900 ( 0.59%)  *  ???:zdu::glue::translate_name(request_rec*) [/m/mod_zdu.so]
  1,200 ( 0.12%)  >   /src/session_tracking.cpp:zdu::glue::look_up_session(request_rec*, zdu::glue::RequestContext&) (3x) [/m/mod_zdu.so]
     60 ( 0.01%)  >   ???:apr_time_now (6x) [/usr/lib/libapr-1.so.0]

  1,200 ( 0.12%)  *  /src/session_tracking.cpp:zdu::glue::look_up_session(request_rec*, zdu::glue::RequestContext&) [/m/mod_zdu.so]

    800 ( 0.08%)  *  ???:ap_run_handler [/usr/sbin/apache2]
    300 ( 0.03%)  >   /src/handler.cpp:zdu::glue::(anonymous namespace)::handle(request_rec*) (3x) [/m/mod_zdu.so]
    200 ( 0.02%)  >   /src/status_handler.cpp:zdu::glue::(anonymous namespace)::handle(request_rec*) (3x) [/m/mod_zdu.so]

  4,000 ( 0.40%)  *  ???:ap_pass_brigade [/usr/sbin/apache2]
  3,500 ( 0.35%)  >   /src/response_filter.cpp:zdu::glue::(anonymous namespace)::response_filter(ap_filter_t*, apr_bucket_brigade*) (3x) [/m/mod_zdu.so]

  3,500 ( 0.35%)  *  /src/response_filter.cpp:zdu::glue::(anonymous namespace)::response_filter(ap_filter_t*, apr_bucket_brigade*)

  3,400 ( 0.34%)  *  ???:zdu::glue::(anonymous namespace)::response_filter(ap_filter_t*, apr_bucket_brigade*) [/m/mod_zdu.so]
  2,900 ( 0.29%)  >   ???:ap_pass_brigade'2 (3x) [/usr/sbin/apache2]

  1,000 ( 0.10%)  *  ???:ap_read_request [/usr/sbin/apache2]
     30 ( 0.01%)  >   ???:apr_time_now (3x) [/usr/lib/libapr-1.so.0]
     12 ( 0.00%)  >   ./time/../sysdeps/unix/sysv/linux/clock_gettime.c:clock_gettime@@GLIBC_2.17 (1,200x) [/lib/libc.so.6]
"""

SELF = """\
1,000,000 (100.0%)  PROGRAM TOTALS
  5,000 ( 0.50%)  ???:ap_run_translate_name [/usr/sbin/apache2]
"""


class CallgrindEdges(unittest.TestCase):
    def setUp(self):
        self.profile = callgrind.parse(TREE, SELF)

    def test_what_a_hook_runner_spent_in_one_module(self):
        self.assertEqual(self.profile.total, 1_000_000)
        self.assertEqual(self.profile.entered_from("ap_run_translate_name", "zdu::"), 6000)
        # Both declining handlers, though their names are the same without their files.
        self.assertEqual(self.profile.entered_from("ap_run_handler", "zdu::"), 500)
        self.assertEqual(self.profile.entered_from("ap_run_log_transaction", "zdu::"), 0)

    def test_call_counts_by_base_name_and_caller(self):
        self.assertEqual(self.profile.calls_to("apr_time_now"), 9)
        self.assertEqual(self.profile.calls_to("clock_gettime"), 1200)
        by = self.profile.calls_by_caller("apr_time_now")
        self.assertEqual(by, {"zdu::glue::translate_name(request_rec*)": 6,
                              "ap_read_request": 3})

    def test_mod_zdus_hooks_and_the_filters_own_cost(self):
        hooks, parts = per_request.zdu_hooks(self.profile)
        self.assertEqual(hooks["translate_name"], 6000)
        self.assertEqual(hooks["handlers (declining)"], 500)
        self.assertEqual(hooks["response filter (own)"], 600)  # 3,500 less the filters after it
        self.assertEqual(hooks["pre_request"], 0)
        self.assertEqual(parts["session tracking: look_up_session"], 1200)
        self.assertEqual(parts["header work: set_backend_headers"], 0)

    def test_time_calls_name_mod_zdus_own(self):
        calls = per_request.time_calls(self.profile)
        self.assertEqual(calls["apr_time_now"], 9)
        self.assertEqual(calls["apr_time_now by mod_zdu"], 6)
        self.assertEqual(calls["clock_gettime"], 1200)


if __name__ == "__main__":
    unittest.main()
