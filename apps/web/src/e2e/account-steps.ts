import type { Page } from 'playwright-core';

export interface NewAccount {
  email: string;
  username: string;
  password: string;
}

/**
 * Signs up through the form and waits for the personal workspace's workflows
 * page; `beforeSubmit` sees the form filled in (for an axe check). Returns the
 * slug of the workspace it landed in.
 */
export async function signUp(page: Page, account: NewAccount, beforeSubmit?: () => Promise<void>): Promise<string> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password').fill(account.password);
  await beforeSubmit?.();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/w\/[^/]+\/workflows/);
  return new URL(page.url()).pathname.split('/')[2]!;
}

/** Fills the login form on the page already showing it and submits it (a second factor may follow). */
export async function submitLogInForm(page: Page, login: string, password: string): Promise<void> {
  await page.getByLabel('Email or username').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Signs in through the login form and waits for the workspace's workflows page. */
export async function logIn(page: Page, login: string, password: string, workspaceSlug: string): Promise<void> {
  await page.goto('/login');
  await submitLogInForm(page, login, password);
  await page.waitForURL(new RegExp(`/w/${workspaceSlug}/workflows`));
}
