<%@ page session="false" trimDirectiveWhitespaces="true" contentType="application/json; charset=UTF-8" %><%--
  Logs the browser in: the session it carries, or a new one (the response then sets
  JSESSIONID=<id>.<jvmRoute>).
--%><%@ include file="/WEB-INF/identity.jspf" %><%
    jakarta.servlet.http.HttpSession existing = request.getSession(false);
    jakarta.servlet.http.HttpSession s = existing != null ? existing : request.getSession(true);
    s.setAttribute("user", request.getParameter("user") == null ? "u" : request.getParameter("user"));
    out.print(identity(application, s, existing == null, ""));
%>
